// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC721Receiver} from "@openzeppelin/contracts/token/ERC721/IERC721Receiver.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAdapter} from "../interfaces/IAdapter.sol";
import {IAsyncAdapter} from "../interfaces/IAsyncAdapter.sol";
import {IVaultAdmin} from "../interfaces/IVaultAdmin.sol";
import {IVoteEscrowAdapter} from "../interfaces/IVoteEscrowAdapter.sol";
import {IReward} from "../interfaces/external/IReward.sol";
import {IMinterPeriod, IRewardsDistributorVe} from "../interfaces/external/IRewardsDistributorVe.sol";
import {IVoter} from "../interfaces/external/IVoter.sol";
import {IVotingEscrow} from "../interfaces/external/IVotingEscrow.sol";
import {BaseAdapter} from "./BaseAdapter.sol";

/// @title VoteEscrowAdapter
/// @notice Locks a VELO/AERO vault's asset into one Velodrome/Aerodrome veNFT, votes it as the vault's allocators
/// decide, and passes on rebases (share price), fees and incentives (harvest).
/// @dev See IVoteEscrowAdapter for what a depositor can get back and when, and for the claim-pool list.
contract VoteEscrowAdapter is BaseAdapter, IVoteEscrowAdapter, IERC721Receiver, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice The longest lock the VotingEscrow accepts: four years (365-day years), end rounded down to a week.
    uint256 public constant MAX_LOCK = 4 * 365 days;
    /// @notice Voter epochs are whole weeks.
    uint256 public constant WEEK = 7 days;
    /// @notice The Voter refuses votes and resets in this first part of an epoch.
    uint256 public constant DISTRIBUTE_WINDOW = 1 hours;
    /// @notice Most pools in the claim-pool list; bounds the claim loops.
    uint256 public constant MAX_POOLS = 8;
    /// @notice Most tokens claimed per reward contract; bounds the claim and forward loops.
    uint256 public constant MAX_REWARD_TOKENS = 8;
    /// @notice How many entries of a fees contract's token list a new claim pool starts with (the pool's two
    /// tokens); never more of an external list is read.
    uint256 public constant DEFAULT_FEE_TOKENS = 2;
    /// @notice Gas allowed to a reward token's `balanceOf` (a proxied ERC-20 needs under 15,000), so a token that
    /// burns gas there cannot eat the harvest's.
    uint256 public constant BALANCE_OF_GAS = 50_000;

    /// @inheritdoc IVoteEscrowAdapter
    address public immutable ESCROW;
    /// @inheritdoc IVoteEscrowAdapter
    address public immutable VOTER;
    /// @inheritdoc IVoteEscrowAdapter
    address public immutable REBASE_DISTRIBUTOR;
    /// @inheritdoc IVoteEscrowAdapter
    bool public immutable PERMANENT;

    /// @inheritdoc IVoteEscrowAdapter
    uint256 public tokenId;
    /// @inheritdoc IVoteEscrowAdapter
    bool public releasing;
    /// @inheritdoc IVoteEscrowAdapter
    bool public claimsFailed;
    address[] internal _pools;

    /// @dev What is claimed for one claim pool: its reward contracts (read once from the Voter, which never changes
    /// a pool's gauge) and the tokens the allocators chose for each.
    struct ClaimPool {
        address fees;
        address incentives;
        address[] feeTokens;
        address[] incentiveTokens;
    }

    mapping(address pool => ClaimPool) internal _claims;

    /// @param vault_ The vault to serve; its asset must be the escrow's token.
    /// @param escrow_ The VotingEscrow.
    /// @param voter_ The Voter of that VotingEscrow.
    /// @param rebaseDistributor_ The rebase RewardsDistributor.
    /// @param permanent_ True: permanent lock; false: four-year lock kept at its maximum.
    constructor(
        address vault_,
        address escrow_,
        address voter_,
        address rebaseDistributor_,
        bool permanent_
    ) BaseAdapter(vault_) {
        if (escrow_ == address(0) || voter_ == address(0) || rebaseDistributor_ == address(0)) revert ZeroAddress();
        address locked = IVotingEscrow(escrow_).token();
        if (locked != ASSET) revert AssetMismatch(ASSET, locked);
        address voterEscrow = IVoter(voter_).ve();
        if (voterEscrow != escrow_) revert EscrowMismatch(escrow_, voterEscrow);
        ESCROW = escrow_;
        VOTER = voter_;
        REBASE_DISTRIBUTOR = rebaseDistributor_;
        PERMANENT = permanent_;
    }

    modifier onlyAllocator() {
        if (!IVaultAdmin(VAULT).isAllocator(msg.sender) && msg.sender != IVaultAdmin(VAULT).owner()) {
            revert NotAllocator(msg.sender);
        }
        _;
    }

    // ================================================================== views

    /// @inheritdoc BaseAdapter
    /// @dev A vote-escrow lock holds the asset itself: it only grows (rebases).
    function cannotLose() public pure override returns (bool) {
        return true;
    }

    /// @inheritdoc IAdapter
    function totalAssets() external view returns (uint256) {
        return lockedAssets() + _loose();
    }

    /// @inheritdoc IAdapter
    /// @dev Loose assets, plus the whole lock once it can be withdrawn in this block (expired, not permanent, and
    /// its votes, if any, resettable now).
    function releasable() external view returns (uint256) {
        return (_lockWithdrawable() ? lockedAssets() : 0) + _loose();
    }

    /// @inheritdoc IAsyncAdapter
    /// @dev Permanent lock: (locked, type(uint256).max). Timed lock before its end: (locked, end), or one hour and a
    /// second later if votes must be reset first (ends fall on epoch starts, inside the Voter's first-hour window).
    /// Expired lock held by a failed claim, or by a rebase claim the distributor refuses until its period is updated:
    /// (locked, type(uint256).max). Expired lock whose votes cannot be reset
    /// yet: (locked, when they can). Otherwise nothing is pending.
    function pendingRelease() external view returns (uint256 assets, uint256 readyAt) {
        uint256 id = tokenId;
        if (id == 0) return (0, 0);
        IVotingEscrow.LockedBalance memory lock = IVotingEscrow(ESCROW).locked(id);
        assets = SafeCast.toUint256(lock.amount);
        if (lock.isPermanent) return (assets, type(uint256).max);
        bool voted = IVotingEscrow(ESCROW).voted(id);
        if (block.timestamp < lock.end) return (assets, voted ? lock.end + DISTRIBUTE_WINDOW + 1 : lock.end);
        // A failed (or surely failing) claim holds the NFT until one claims everything: no date is known.
        if (claimsFailed || _rebaseClaimBlocked()) return (assets, type(uint256).max);
        uint256 resetAt = resetOpensAt();
        if (resetAt == 0) return (0, 0);
        return (assets, resetAt);
    }

    /// @inheritdoc IVoteEscrowAdapter
    function lockedAssets() public view returns (uint256) {
        uint256 id = tokenId;
        if (id == 0) return 0;
        return SafeCast.toUint256(IVotingEscrow(ESCROW).locked(id).amount);
    }

    /// @inheritdoc IVoteEscrowAdapter
    function claimPools() external view returns (address[] memory) {
        return _pools;
    }

    /// @inheritdoc IVoteEscrowAdapter
    function claimTokens(
        address pool
    )
        external
        view
        returns (address fees, address incentives, address[] memory feeTokens, address[] memory incentiveTokens)
    {
        ClaimPool storage claim = _claims[pool];
        return (claim.fees, claim.incentives, claim.feeTokens, claim.incentiveTokens);
    }

    /// @inheritdoc IVoteEscrowAdapter
    function resetOpensAt() public view returns (uint256) {
        uint256 id = tokenId;
        if (id == 0 || !IVotingEscrow(ESCROW).voted(id)) return 0;
        uint256 epochStart = block.timestamp - (block.timestamp % WEEK);
        // The Voter takes one vote or reset per epoch, and none in an epoch's first hour.
        if (IVoter(VOTER).lastVoted(id) >= epochStart) return epochStart + WEEK + DISTRIBUTE_WINDOW + 1;
        if (block.timestamp <= epochStart + DISTRIBUTE_WINDOW) return epochStart + DISTRIBUTE_WINDOW + 1;
        return 0;
    }

    // ================================================================== vault entry points

    /// @inheritdoc IAdapter
    /// @dev Locks everything loose: creates the veNFT (made permanent in permanent mode) or adds to it and, in
    /// max-length mode, re-extends it to four years. Leaves the assets loose while a release is prepared or once the
    /// lock has expired (the escrow refuses to add to it).
    function allocate(uint256) external onlyVault nonReentrant {
        if (releasing) return;
        uint256 loose = _loose();
        if (loose == 0) return;
        uint256 id = tokenId;
        if (id == 0) {
            IERC20(ASSET).forceApprove(ESCROW, loose);
            id = IVotingEscrow(ESCROW).createLock(loose, MAX_LOCK);
            tokenId = id;
            emit LockCreated(id, loose, PERMANENT);
            if (PERMANENT) IVotingEscrow(ESCROW).lockPermanent(id);
            return;
        }
        IVotingEscrow.LockedBalance memory lock = IVotingEscrow(ESCROW).locked(id);
        if (!lock.isPermanent && lock.end <= block.timestamp) return;
        IERC20(ASSET).forceApprove(ESCROW, loose);
        IVotingEscrow(ESCROW).increaseAmount(id, loose);
        emit LockIncreased(id, loose);
        if (!PERMANENT) _extend(id, lock.end);
    }

    /// @inheritdoc IAdapter
    /// @dev Loose assets first. If more is asked and the lock has expired with its votes resettable now, claims what
    /// the NFT earned (rebase, fees, incentives: the NFT is burned next); only if every claim succeeded does it reset
    /// the votes, withdraw the NFT and free the whole lock (the part not asked for stays loose and releasable).
    /// Otherwise the NFT is kept (WithdrawalDeferred) and only loose assets leave; the next call retries.
    function deallocate(uint256 assets) external onlyVault nonReentrant returns (uint256 freed) {
        if (assets > _loose() && _lockExpiredAndResettable()) _withdrawLock();
        freed = Math.min(_loose(), assets);
        if (freed != 0) IERC20(ASSET).safeTransfer(VAULT, freed);
    }

    /// @inheritdoc IAdapter
    /// @dev Claims the rebase (into the lock, or loose after expiry), then each chosen token of every claim pool's
    /// fees and incentive contracts, and sends the adapter's whole balance of each chosen token other than the asset
    /// (this claim and any earlier one, e.g. at a withdrawal of the NFT) to `receiver`. Best effort per token.
    function harvest(
        address receiver
    ) external onlyVault nonReentrant returns (address[] memory tokens, uint256[] memory amounts) {
        uint256 id = tokenId;
        if (id != 0) _claim(id);
        return _forward(receiver);
    }

    /// @inheritdoc IAsyncAdapter
    /// @dev Releases the whole lock whatever `assets` is. Max-length mode: stops extending, so the lock runs down to
    /// its current end. Permanent mode: resets the votes (reverting with VotesStandUntil when the Voter does not
    /// allow it yet; the votes of the current epoch are then forfeited unless an allocator votes again) and calls
    /// `unlockPermanent`, which starts a four-year decay. No-op without a lock or with a release already prepared.
    function prepareRelease(uint256) external onlyVault nonReentrant {
        uint256 id = tokenId;
        if (id == 0 || releasing) return;
        releasing = true;
        IVotingEscrow.LockedBalance memory lock = IVotingEscrow(ESCROW).locked(id);
        if (lock.isPermanent) {
            if (IVotingEscrow(ESCROW).voted(id)) _reset(id);
            IVotingEscrow(ESCROW).unlockPermanent(id);
            lock = IVotingEscrow(ESCROW).locked(id);
        }
        emit ReleaseStarted(id, SafeCast.toUint256(lock.amount), lock.end);
    }

    // ================================================================== allocator entry points

    /// @inheritdoc IVoteEscrowAdapter
    function vote(address[] calldata pools, uint256[] calldata weights) external onlyAllocator nonReentrant {
        uint256 id = tokenId;
        if (id == 0) revert NoLock();
        for (uint256 i; i < pools.length; ++i) _addPool(pools[i]);
        emit Voted(id, msg.sender, pools, weights);
        IVoter(VOTER).vote(id, pools, weights);
    }

    /// @inheritdoc IVoteEscrowAdapter
    function resetVotes() external onlyAllocator nonReentrant {
        uint256 id = tokenId;
        if (id == 0) revert NoLock();
        _reset(id);
    }

    /// @inheritdoc IVoteEscrowAdapter
    function extendLock() external onlyAllocator nonReentrant {
        if (PERMANENT) revert PermanentMode();
        if (releasing) revert ReleaseInProgress();
        uint256 id = tokenId;
        if (id == 0) revert NoLock();
        _extend(id, IVotingEscrow(ESCROW).locked(id).end);
    }

    /// @inheritdoc IVoteEscrowAdapter
    function setClaimTokens(
        address pool,
        address[] calldata feeTokens,
        address[] calldata incentiveTokens
    ) external onlyAllocator nonReentrant {
        _checkTokens(feeTokens);
        _checkTokens(incentiveTokens);
        _addPool(pool);
        ClaimPool storage claim = _claims[pool];
        claim.feeTokens = feeTokens;
        claim.incentiveTokens = incentiveTokens;
        emit ClaimTokensSet(pool, msg.sender, feeTokens, incentiveTokens);
    }

    /// @inheritdoc IVoteEscrowAdapter
    function removeClaimPool(address pool) external onlyAllocator {
        uint256 length = _pools.length;
        uint256 index = length;
        for (uint256 i; i < length; ++i) {
            if (_pools[i] == pool) index = i;
        }
        if (index == length) revert UnknownPool(pool);
        uint256 id = tokenId;
        if (id != 0 && IVoter(VOTER).votes(id, pool) != 0) revert PoolStillVoted(pool);
        _pools[index] = _pools[length - 1];
        _pools.pop();
        delete _claims[pool];
        emit ClaimPoolRemoved(pool);
    }

    /// @notice Accepts only the veNFT this adapter mints itself (for an escrow that mints with a receiver check; the
    /// Velodrome and Aerodrome escrows mint without one).
    function onERC721Received(
        address operator,
        address from,
        uint256 id,
        bytes calldata
    ) external view returns (bytes4) {
        if (msg.sender != ESCROW || operator != address(this) || from != address(0)) {
            revert UnexpectedNFT(msg.sender, id);
        }
        return IERC721Receiver.onERC721Received.selector;
    }

    // ================================================================== internal

    function _loose() internal view returns (uint256) {
        return IERC20(ASSET).balanceOf(address(this));
    }

    /// @dev The lock can be withdrawn in this block: expired, votes resettable now, no failed claim pending, and the
    /// rebase claim not refused for an un-updated period.
    function _lockWithdrawable() internal view returns (bool) {
        return !claimsFailed && _lockExpiredAndResettable() && !_rebaseClaimBlocked();
    }

    /// @dev Whether the rebase distributor refuses claims now because its minter's period is behind the current
    /// epoch (it is at each epoch flip until someone updates it). An unreadable minter counts as not blocking: the
    /// claim itself then decides.
    function _rebaseClaimBlocked() internal view returns (bool) {
        (bool ok, uint256 minter) = _readWord(REBASE_DISTRIBUTOR, IRewardsDistributorVe.minter.selector);
        if (!ok || minter >> 160 != 0) return false;
        (bool read, uint256 period) = _readWord(address(uint160(minter)), IMinterPeriod.activePeriod.selector);
        return read && period < block.timestamp - (block.timestamp % WEEK);
    }

    /// @dev A parameterless view's first return word, without reverting on a missing function, an account without
    /// code or a short answer (the views built on it back the vault's `maxWithdraw`, which must not revert).
    function _readWord(address target, bytes4 selector) internal view returns (bool ok, uint256 word) {
        uint256 size;
        assembly ("memory-safe") {
            mstore(0, selector)
            ok := staticcall(gas(), target, 0, 4, 0, 0x20)
            size := returndatasize()
            word := mload(0)
        }
        ok = ok && size >= 32;
    }

    function _lockExpiredAndResettable() internal view returns (bool) {
        uint256 id = tokenId;
        if (id == 0) return false;
        IVotingEscrow.LockedBalance memory lock = IVotingEscrow(ESCROW).locked(id);
        return !lock.isPermanent && block.timestamp >= lock.end && resetOpensAt() == 0;
    }

    /// @dev Re-extends to four years from now when that is later than `end` (ends are whole weeks, so at most once a
    /// week).
    function _extend(uint256 id, uint256 end) internal {
        uint256 newEnd = ((block.timestamp + MAX_LOCK) / WEEK) * WEEK;
        if (newEnd <= end) return;
        IVotingEscrow(ESCROW).increaseUnlockTime(id, MAX_LOCK);
        emit LockExtended(id, newEnd);
    }

    function _reset(uint256 id) internal {
        uint256 resetAt = resetOpensAt();
        if (resetAt != 0) revert VotesStandUntil(resetAt);
        emit VotesReset(id);
        IVoter(VOTER).reset(id);
    }

    /// @dev Burning the NFT forfeits whatever it still owns, so it is withdrawn only after every claim succeeded.
    function _withdrawLock() internal {
        uint256 id = tokenId;
        if (!_claim(id)) {
            emit WithdrawalDeferred(id);
            return;
        }
        if (IVotingEscrow(ESCROW).voted(id)) _reset(id);
        uint256 assets = lockedAssets();
        tokenId = 0;
        releasing = false;
        emit LockWithdrawn(id, assets);
        IVotingEscrow(ESCROW).withdraw(id);
    }

    /// @dev Adds `pool` to the claim-pool list if absent, with its reward contracts and, as fee tokens, the first
    /// DEFAULT_FEE_TOKENS entries of its fees contract's list (set when the gauge was created; no incentive token).
    function _addPool(address pool) internal {
        uint256 length = _pools.length;
        for (uint256 i; i < length; ++i) {
            if (_pools[i] == pool) return;
        }
        if (length == MAX_POOLS) revert TooManyPools(MAX_POOLS);
        address gauge = IVoter(VOTER).gauges(pool);
        if (gauge == address(0)) revert NoGauge(pool);
        ClaimPool storage claim = _claims[pool];
        address fees = IVoter(VOTER).gaugeToFees(gauge);
        claim.fees = fees;
        claim.incentives = IVoter(VOTER).gaugeToBribe(gauge);
        uint256 count = Math.min(IReward(fees).rewardsListLength(), DEFAULT_FEE_TOKENS);
        for (uint256 k; k < count; ++k) claim.feeTokens.push(IReward(fees).rewards(k));
        _pools.push(pool);
        emit ClaimPoolAdded(pool);
    }

    function _checkTokens(address[] calldata tokens) internal pure {
        if (tokens.length > MAX_REWARD_TOKENS) revert TooManyClaimTokens(MAX_REWARD_TOKENS);
        for (uint256 i; i < tokens.length; ++i) {
            if (tokens[i] == address(0)) revert InvalidClaimToken(address(0));
            for (uint256 j; j < i; ++j) {
                if (tokens[j] == tokens[i]) revert InvalidClaimToken(tokens[i]);
            }
        }
    }

    /// @dev Claims the rebase, then each chosen token of each claim pool's fees and incentive contracts, one token
    /// per call straight from the reward contract (`getReward` is open to the NFT's owner; the Voter's wrappers are
    /// named differently across versions, and a reward contract's `getReward` reverts as a whole when one token's
    /// transfer fails). Every claim is best effort: a failure is reported and retried at the next harvest. Records
    /// and returns whether all succeeded.
    function _claim(uint256 id) internal returns (bool ok) {
        ok = true;
        try IRewardsDistributorVe(REBASE_DISTRIBUTOR).claim(id) {} catch {
            ok = false;
            emit ClaimFailed(id, REBASE_DISTRIBUTOR, address(0));
        }
        address[] memory one = new address[](1);
        uint256 length = _pools.length;
        for (uint256 i; i < length; ++i) {
            ClaimPool storage claim = _claims[_pools[i]];
            if (!_claimFrom(id, claim.fees, claim.feeTokens, one)) ok = false;
            if (!_claimFrom(id, claim.incentives, claim.incentiveTokens, one)) ok = false;
        }
        if (claimsFailed == ok) claimsFailed = !ok;
    }

    function _claimFrom(
        uint256 id,
        address source,
        address[] storage tokens,
        address[] memory one
    ) internal returns (bool ok) {
        ok = true;
        uint256 count = tokens.length;
        for (uint256 k; k < count; ++k) {
            address token = tokens[k];
            one[0] = token;
            try IReward(source).getReward(id, one) {} catch {
                ok = false;
                emit ClaimFailed(id, source, token);
            }
        }
    }

    /// @dev Sends the whole balance of every distinct chosen token other than the asset to `receiver`. A token whose
    /// balance cannot be read, or whose transfer fails, is skipped (ForwardFailed) and stays for the next harvest.
    function _forward(address receiver) internal returns (address[] memory sent, uint256[] memory amounts) {
        uint256 length = _pools.length;
        uint256 capacity;
        for (uint256 i; i < length; ++i) {
            ClaimPool storage claim = _claims[_pools[i]];
            capacity += claim.feeTokens.length + claim.incentiveTokens.length;
        }
        sent = new address[](capacity);
        amounts = new uint256[](capacity);
        address[] memory seen = new address[](capacity);
        uint256 seenCount;
        uint256 count;
        for (uint256 i; i < 2 * length; ++i) {
            ClaimPool storage claim = _claims[_pools[i / 2]];
            address[] storage tokens = i % 2 == 0 ? claim.feeTokens : claim.incentiveTokens;
            for (uint256 k; k < tokens.length; ++k) {
                address token = tokens[k];
                if (token == ASSET || _contains(seen, seenCount, token)) continue;
                seen[seenCount++] = token;
                uint256 balance = _balanceOf(token);
                if (balance == 0) continue;
                if (!IERC20(token).trySafeTransfer(receiver, balance)) {
                    emit ForwardFailed(token);
                    continue;
                }
                sent[count] = token;
                amounts[count] = balance;
                ++count;
            }
        }
        // Trim both arrays to the tokens actually sent (count <= capacity, the allocated length).
        assembly ("memory-safe") {
            mstore(sent, count)
            mstore(amounts, count)
        }
    }

    /// @dev The adapter's balance of `token`, or zero (with ForwardFailed) if the call reverts, runs out of its gas
    /// allowance or returns less than a word. Only the first word of the answer is copied (no return-data bomb).
    function _balanceOf(address token) internal returns (uint256 amount) {
        bytes memory data = abi.encodeCall(IERC20.balanceOf, (address(this)));
        bool success;
        uint256 size;
        assembly ("memory-safe") {
            success := staticcall(BALANCE_OF_GAS, token, add(data, 0x20), mload(data), 0, 0x20)
            size := returndatasize()
            amount := mload(0)
        }
        if (success && size >= 32) return amount;
        emit ForwardFailed(token);
        return 0;
    }

    function _contains(address[] memory list, uint256 length, address token) internal pure returns (bool) {
        for (uint256 i; i < length; ++i) {
            if (list[i] == token) return true;
        }
        return false;
    }
}
