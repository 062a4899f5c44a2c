// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IRewardsDistributor, IStreamingRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IVaultAdmin} from "../interfaces/IVaultAdmin.sol";

/// @title RewardsDistributor
/// @notice Streams the reward tokens a vault harvests to the vault's share holders, pro rata to their shares over
/// time, and lets each holder claim any subset of tokens to any receiver.
/// @dev STREAMS. Each token has one stream: `remaining` tokens to stream linearly over the `timeLeft` seconds after
/// the shared `lastUpdate`. Advancing a stream by `dt` streams `remaining * dt / timeLeft` (rounded down; once
/// `dt >= timeLeft`, all that is left). A notify merges the new amount into the stream; the merged time left is the
/// amount-weighted average of the old time left and `rewardPeriod`. All streams share one clock: every advance moves
/// them all to now, so a claim settles the caller in every token.
/// ACCUMULATORS. A streamed amount raises `rewardPerShare` by `streamed * 1e27 / totalSupply` (rounded down), and only
/// what that increment pays out (rounded up) leaves `remaining`: the rounding remainder streams again, so the stream
/// loses nothing. A holder is owed `balance * (rewardPerShare - paid) / 1e27` (rounded down) on top of what was
/// settled before. The vault calls `beforeBalanceChange` before every share mint, burn and transfer, with the supply
/// and both balances, so these are constant between two settlements: the cost is one settlement per listed token (at
/// most MAX_REWARD_TOKENS) and never depends on the number of holders. A deposit earns only what streams after it.
/// CHECKPOINTS. The streams are written (checkpointed) only when the supply changes (mint, burn), at a notify and at
/// the detach. Between two checkpoints the supply is constant, so a transfer or a claim computes every accumulator at
/// now from the last checkpoint without writing it: the result only grows with time, so settling at it and writing
/// the checkpoint later agree.
/// PACKING. A share transfer touches few slots. One header slot holds the token count, the `lastUpdate` of the last
/// checkpoint, each stream's `timeLeft` from it (24 bits: at most MAX_REWARD_PERIOD, below 2^24 seconds) and two
/// flags. A stream is one slot (160-bit accumulator, 96-bit remaining) and so is a holder's state per token (160-bit
/// accumulator at its last settlement, 95-bit accrued, and in the first word the RECORDED flag), both indexed by the
/// token's position in the list. A token's books are capped at 2^95 - 1 units (39 billion 18-decimal tokens; a larger
/// amount is skipped), so neither what remains nor what a holder accrued can overflow. The accumulator is kept modulo 2^160 and every use takes a
/// difference modulo 2^160, which is exact while one holder's unsettled growth stays below 2^160 / 1e27 = 1.46e21
/// token units per share unit. Over at least MIN_STREAM_SUPPLY shares one advance adds at most 2^95 * 1e27 / 1e12
/// (1/18,000 of that), so it takes some 1.46e33 token units (1.46e15 whole 18-decimal tokens) streamed over a dust
/// supply without the holder settling once: no realistic input gets there.
/// BOOKS. `accounted` is what is streaming plus what was streamed to holders and not yet claimed (per-holder
/// rounding dust included, so holders can never claim more than was harvested). A notify streams
/// `balance - accounted`: the amounts the adapter reports are ignored. What streams while the vault has fewer than
/// MIN_STREAM_SUPPLY shares leaves `accounted` and so streams again at the next notify of that token.
/// BOUNDS. Only allowed tokens (owner or curator) are ever listed, and the list is append-only and bounded by
/// MAX_REWARD_TOKENS. A token a harvest hands in that is not allowed is skipped without being called; one whose
/// balance cannot be read (reverting, gas-burning) is skipped; a full list or an oversized amount skips the token:
/// never a revert, so no token can block a harvest.
/// MIGRATION. On `detach(successor)` (from the vault, when it replaces this distributor) every stream is advanced to
/// now and frozen; what was still to stream, and any unaccounted balance of a listed token, goes to the successor,
/// which streams it on. The successor, named beforehand by `setPredecessor`, records from then on every holder's share
/// balance before its first change; a holder claims here on that balance (or on their live balance while it has not
/// changed), so they get exactly what they earned until the detach, and an address that got shares after it gets
/// nothing here. A distributor that lists tokens can be replaced but not removed (`SuccessorRequired`).
/// TIMELOCK. What can send holders' rewards elsewhere waits out the vault's timelock: setting a route and sweeping.
/// NOT HANDLED. No share holder is excluded (the vault itself, an escrow, an AMM pool): shares held by a contract
/// that cannot claim leave their part unclaimed here.
contract RewardsDistributor is IStreamingRewardsDistributor, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ================================================================== constants and immutables

    /// @notice Most tokens that can ever stream; bounds every loop over tokens (and so the cost of a share transfer).
    uint256 public constant MAX_REWARD_TOKENS = 8;
    /// @notice Scale of `rewardPerShare`: an advance over fewer than 1e27 shares rounds away less than one token unit
    /// per share unit, and that remainder streams again.
    uint256 public constant PRECISION = 1e27;
    /// @notice Fewest shares a stream pays out to: 1e12 shares (one asset wei of a 6-decimal vault). Over a smaller
    /// supply what streams is held and streamed again at the next harvest, so a dust holder left alone cannot drive
    /// the accumulator round.
    uint256 public constant MIN_STREAM_SUPPLY = 1e12;
    /// @notice Shortest reward period.
    uint256 public constant MIN_REWARD_PERIOD = 1 hours;
    /// @notice Longest reward period.
    uint256 public constant MAX_REWARD_PERIOD = 90 days;
    /// @notice How long a submitted call stays executable once its timelock has passed.
    uint256 public constant TIMELOCK_GRACE = 7 days;

    /// @notice The vault whose share holders this distributor pays.
    address public immutable VAULT;
    /// @notice The vault's asset, never streamed.
    address public immutable ASSET;

    // ================================================================== storage

    /// @dev Header layout: bits 0-7 the token count, 8-47 `lastUpdate`, then 24 bits of `timeLeft` per token (up to
    /// bit 239), then the flags.
    uint256 internal constant _COUNT_MASK = 0xff;
    uint256 internal constant _LAST_UPDATE_SHIFT = 8;
    uint256 internal constant _LAST_UPDATE_MASK = uint256(type(uint40).max) << 8;
    uint256 internal constant _TIME_LEFT_SHIFT = 48;
    uint256 internal constant _TIME_LEFT_BITS = 24;
    uint256 internal constant _TIME_LEFT_MASK = 0xffffff;
    /// @dev Set by `inherit`: the hook records each holder's balance before its first change.
    uint256 internal constant _RECORDING = 1 << 240;
    /// @dev Set by `detach`: the streams are frozen and holders are settled on their balance at the detach.
    uint256 internal constant _DETACHED = 1 << 241;

    /// @dev Low 160 bits of a stream word: the accumulator (modulo 2^160); high 96 bits: what is still to stream.
    /// Low 160 bits of a holder word: the accumulator at its last settlement; high 96 bits: what is owed since.
    /// Raw words rather than structs: the share-transfer hook reads and writes them without memory copies.
    uint256 internal constant _RPS_MASK = type(uint160).max;
    uint256 internal constant _HIGH_SHIFT = 160;
    /// @dev Cap of a token's books, and so of what remains to stream and of what one holder accrued (95 bits: the top
    /// bit of a holder's first word is the RECORDED flag).
    uint256 internal constant _MAX_BOOKS = type(uint96).max >> 1;
    /// @dev In a holder's word for list position 0: its balance before its first change was recorded (see MIGRATION).
    uint256 internal constant _RECORDED = 1 << 255;
    /// @dev A holder's words: one per token, then its recorded balance plus one.
    uint256 internal constant _HOLDER_WORDS = MAX_REWARD_TOKENS + 1;
    /// @dev Gas given to a token's `balanceOf`: a real token needs a few thousand; a gas-burning one cannot take more.
    uint256 internal constant _TOKEN_VIEW_GAS = 50_000;

    /// @inheritdoc IStreamingRewardsDistributor
    uint256 public rewardPeriod;

    /// @dev The token count, the last checkpoint, every stream's time left and the flags (see PACKING).
    uint256 internal _header;
    address[MAX_REWARD_TOKENS] internal _tokens;
    /// @dev One word per listed token (see `_RPS_MASK`), by list position.
    uint256[MAX_REWARD_TOKENS] internal _pools;
    /// @dev One word per holder and listed token (see `_RPS_MASK`), by list position; then, at MAX_REWARD_TOKENS, the
    /// recorded balance (see MIGRATION) plus one.
    mapping(address account => uint256[_HOLDER_WORDS]) internal _holders;
    mapping(address token => uint256 indexPlusOne) internal _indexOf;
    mapping(address token => uint256) internal _accounted;
    mapping(address token => address route) internal _routes;
    /// @inheritdoc IStreamingRewardsDistributor
    mapping(address token => bool) public isAllowed;
    /// @dev Pending timelocked calls by calldata hash: submission time (high 128 bits), earliest execution (low).
    mapping(bytes32 id => uint256) internal _pending;
    /// @inheritdoc IStreamingRewardsDistributor
    address public predecessor;
    /// @inheritdoc IStreamingRewardsDistributor
    address public successor;

    // ================================================================== construction

    /// @param vault_ The vault to serve; its asset is read from it.
    /// @param rewardPeriod_ Period over which a notify streams (between MIN_ and MAX_REWARD_PERIOD).
    constructor(address vault_, uint256 rewardPeriod_) {
        if (vault_ == address(0)) revert ZeroAddress();
        _checkPeriod(rewardPeriod_);
        VAULT = vault_;
        ASSET = IERC4626(vault_).asset();
        rewardPeriod = rewardPeriod_;
        emit RewardPeriodSet(rewardPeriod_);
    }

    modifier onlyVault() {
        if (msg.sender != VAULT) revert NotVault(msg.sender);
        _;
    }

    /// @dev Roles are the vault's: its owner or its curator.
    modifier onlyOwnerOrCurator() {
        if (msg.sender != IVaultAdmin(VAULT).owner() && msg.sender != IVaultAdmin(VAULT).curator()) {
            revert Unauthorized(msg.sender);
        }
        _;
    }

    modifier notDetached() {
        if (_header & _DETACHED != 0) revert Detached();
        _;
    }

    // ================================================================== vault hooks

    /// @inheritdoc IRewardsDistributor
    /// @dev Not guarded against reentrancy on purpose: it makes no external call, and claim and notify write their
    /// effects before any transfer, so a settlement reached from their callbacks is sound. The balances and supply are
    /// trusted: only the vault may call. A transfer (both sides set) leaves the supply unchanged, so the streams are
    /// not checkpointed (see CHECKPOINTS); a mint or a burn checkpoints them over the supply before it.
    function beforeBalanceChange(
        address from,
        uint256 fromBalance,
        address to,
        uint256 toBalance,
        uint256 totalSupply
    ) external onlyVault {
        if (to == from) to = address(0);
        _sync(totalSupply, from == address(0) || to == address(0), false, from, fromBalance, to, toBalance);
    }

    /// @inheritdoc IRewardsDistributor
    /// @dev Per token: the vault's asset and share are skipped, and so is a token not allowed (without calling it); a
    /// routed token is deposited into its route first and the route's shares stream instead; then
    /// `balance - accounted` joins the stream. Nothing here reverts on a token's account (a full list, an oversized
    /// amount, an unreadable balance or a failing route only skip that token), so one bad token cannot block a
    /// harvest.
    function notifyRewards(
        address[] calldata tokens,
        uint256[] calldata amounts
    ) external nonReentrant onlyVault notDetached {
        _notify(tokens, amounts);
    }

    /// @inheritdoc IRewardsDistributor
    /// @dev See MIGRATION. A distributor that never listed a token and owes no predecessor's holders anything just
    /// lets go (and may be attached again) unless the successor names it as predecessor, in which case it hands over
    /// like any other (so that what it holds can follow). Otherwise the successor must name it as its predecessor.
    function detach(address successor_) external nonReentrant onlyVault notDetached {
        uint256 header = _header;
        uint256 count = header & _COUNT_MASK;
        bool books = count != 0 || header & _RECORDING != 0;
        bool named = successor_ != address(0) && _namesAsPredecessor(successor_);
        if (!books && !named) return;
        if (successor_ == address(0)) revert SuccessorRequired();
        if (!named || IStreamingRewardsDistributor(successor_).vault() != VAULT) revert SuccessorMismatch(successor_);
        // The vault has reported every balance change so far: advance every stream to now over its supply.
        _sync(IERC20(VAULT).totalSupply(), true, true, address(0), 0, address(0), 0);
        address[] memory tokens = new address[](count);
        for (uint256 i; i < count; ++i) {
            address token = _tokens[i];
            tokens[i] = token;
            uint256 pool = _pools[i];
            uint256 remaining = pool >> _HIGH_SHIFT;
            if (remaining == 0) continue;
            _pools[i] = pool & _RPS_MASK;
            _accounted[token] -= remaining;
        }
        // Keep the count, the last checkpoint and the recording flag; the time left no longer matters.
        _header = (_header & (_COUNT_MASK | _LAST_UPDATE_MASK | _RECORDING)) | _DETACHED;
        successor = successor_;
        emit DistributorDetached(successor_);
        for (uint256 i; i < count; ++i) {
            _handOver(tokens[i], successor_);
        }
        IStreamingRewardsDistributor(successor_).inherit(tokens, books);
    }

    // ================================================================== holders

    /// @inheritdoc IStreamingRewardsDistributor
    function claim(
        address[] calldata tokens,
        address receiver
    ) external nonReentrant returns (uint256[] memory amounts) {
        if (receiver == address(0)) revert ZeroAddress();
        uint256 header = _header;
        if (header & _DETACHED != 0) {
            // Frozen: nothing streams, so the supply is not needed; the balance is the one at the detach.
            _sync(0, false, false, msg.sender, _balanceAtDetach(msg.sender), address(0), 0);
        } else {
            // The streams advance together, so the caller is settled in every token.
            uint256 balance = IERC20(VAULT).balanceOf(msg.sender);
            _sync(IERC20(VAULT).totalSupply(), false, false, msg.sender, balance, address(0), 0);
        }
        uint256[_HOLDER_WORDS] storage holder = _holders[msg.sender];
        amounts = new uint256[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            address token = tokens[i];
            uint256 index = _indexOf[token];
            if (index == 0) revert NotRewardToken(token);
            uint256 state = holder[index - 1];
            uint256 amount = (state >> _HIGH_SHIFT) & _MAX_BOOKS;
            if (amount == 0) continue;
            holder[index - 1] = state & (_RPS_MASK | _RECORDED);
            _accounted[token] -= amount;
            amounts[i] = amount;
            emit RewardPaid(msg.sender, receiver, token, amount);
            IERC20(token).safeTransfer(receiver, amount);
        }
    }

    // ================================================================== migration

    /// @inheritdoc IStreamingRewardsDistributor
    function setPredecessor(address predecessor_) external onlyOwnerOrCurator {
        if (predecessor_ == address(0)) revert ZeroAddress();
        if (predecessor_ == predecessor) revert AlreadySet();
        if (IVaultAdmin(VAULT).rewardsDistributor() == address(this) || _header & (_RECORDING | _DETACHED) != 0) {
            revert AlreadyAttached();
        }
        if (predecessor_ == address(this) || IStreamingRewardsDistributor(predecessor_).vault() != VAULT) {
            revert PredecessorMismatch(predecessor_);
        }
        predecessor = predecessor_;
        emit PredecessorSet(predecessor_);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    /// @dev Only once, from the named predecessor, while this distributor is the vault's: that is, from within the
    /// vault's `setRewardsDistributor`, before any share moves.
    function inherit(address[] calldata tokens, bool record) external nonReentrant {
        address from = predecessor;
        if (msg.sender != from || from == address(0)) revert Unauthorized(msg.sender);
        uint256 header = _header;
        if (IVaultAdmin(VAULT).rewardsDistributor() != address(this) || header & (_RECORDING | _DETACHED) != 0) {
            revert Unauthorized(msg.sender);
        }
        if (record) _header = header | _RECORDING;
        emit Inherited(from);
        _notify(tokens, new uint256[](0));
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function handOver(address token) external nonReentrant {
        address to = successor;
        if (to == address(0)) revert Detached();
        (bool ok, uint256 amount) = _handOver(token, to);
        if (!ok) revert TokenTransferFailed(token);
        if (amount == 0) revert NothingToSweep(token);
    }

    // ================================================================== configuration

    /// @inheritdoc IStreamingRewardsDistributor
    function setRoute(address token, address route) external onlyOwnerOrCurator notDetached {
        if (token == address(0)) revert ZeroAddress();
        if (token == ASSET || token == VAULT) revert VaultTokenNotAllowed(token);
        if (route == _routes[token]) revert AlreadySet();
        if (route != address(0)) {
            if (route == VAULT || route == ASSET || route == token) revert InvalidRoute(route);
            address routeAsset = IERC4626(route).asset();
            if (routeAsset != token) revert RouteAssetMismatch(token, route, routeAsset);
            _timelocked();
        }
        _routes[token] = route;
        emit RouteSet(token, route);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function setAllowed(address token, bool allowed) external nonReentrant onlyOwnerOrCurator notDetached {
        if (token == address(0)) revert ZeroAddress();
        if (token == ASSET || token == VAULT) revert VaultTokenNotAllowed(token);
        if (isAllowed[token] == allowed) revert AlreadySet();
        if (!allowed && _indexOf[token] != 0) revert AlreadyListed(token);
        isAllowed[token] = allowed;
        emit AllowedSet(token, allowed);
        // Only the vault's distributor streams: before it is attached the vault reports no balance change here.
        if (allowed && IVaultAdmin(VAULT).rewardsDistributor() == address(this)) {
            address[] memory tokens = new address[](1);
            tokens[0] = token;
            _notify(tokens, new uint256[](0));
        }
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function setRewardPeriod(uint256 period) external onlyOwnerOrCurator {
        _checkPeriod(period);
        if (period == rewardPeriod) revert AlreadySet();
        rewardPeriod = period;
        emit RewardPeriodSet(period);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    /// @dev A routed or allowed token cannot be swept either: its balance is waiting to stream.
    function sweep(address token) external nonReentrant onlyOwnerOrCurator {
        if (_indexOf[token] != 0 || _routes[token] != address(0) || isAllowed[token]) {
            revert CannotSweepRewardToken(token);
        }
        address receiver = IVaultAdmin(VAULT).skimRecipient();
        if (receiver == address(0)) revert ZeroAddress();
        uint256 amount = IERC20(token).balanceOf(address(this));
        if (amount == 0) revert NothingToSweep(token);
        _timelocked();
        emit Swept(token, receiver, amount);
        IERC20(token).safeTransfer(receiver, amount);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function submit(bytes calldata data) external onlyOwnerOrCurator {
        bytes32 id = keccak256(data);
        uint256 pending = _pending[id];
        if (pending != 0 && block.timestamp <= _executableAt(pending) + TIMELOCK_GRACE) revert AlreadyPending();
        uint256 at = block.timestamp + IVaultAdmin(VAULT).timelock();
        _pending[id] = (block.timestamp << 128) | at;
        emit Submitted(bytes4(data), data, at);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function revoke(bytes calldata data) external {
        if (
            msg.sender != IVaultAdmin(VAULT).guardian() &&
            msg.sender != IVaultAdmin(VAULT).owner() &&
            msg.sender != IVaultAdmin(VAULT).curator()
        ) revert Unauthorized(msg.sender);
        bytes32 id = keccak256(data);
        if (_pending[id] == 0) revert NotSubmitted();
        delete _pending[id];
        emit Revoked(bytes4(data), data, msg.sender);
    }

    // ================================================================== views

    /// @inheritdoc IStreamingRewardsDistributor
    function vault() external view returns (address) {
        return VAULT;
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function asset() external view returns (address) {
        return ASSET;
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function rewardTokens() external view returns (address[] memory tokens) {
        uint256 count = _header & _COUNT_MASK;
        tokens = new address[](count);
        for (uint256 i; i < count; ++i) {
            tokens[i] = _tokens[i];
        }
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function isRewardToken(address token) external view returns (bool) {
        return _indexOf[token] != 0;
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function routeOf(address token) external view returns (address) {
        return _routes[token];
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function executableAt(bytes calldata data) external view returns (uint256) {
        uint256 pending = _pending[keccak256(data)];
        return pending == 0 ? 0 : _executableAt(pending);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function predecessorBalanceOf(address account) public view returns (uint256) {
        uint256 recorded = _holders[account][MAX_REWARD_TOKENS];
        // Unchecked: recorded is a balance plus one, so it is at least one.
        unchecked {
            if (recorded != 0) return recorded - 1;
        }
        return _balanceAtDetach(account);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function earned(address account, address token) external view returns (uint256) {
        uint256 index = _indexOf[token];
        if (index == 0) return 0;
        uint256 rps;
        uint256 balance;
        if (_header & _DETACHED != 0) {
            rps = _pools[index - 1] & _RPS_MASK;
            balance = _balanceAtDetach(account);
        } else {
            (rps, , ) = _preview(index - 1, IERC20(VAULT).totalSupply());
            balance = IERC20(VAULT).balanceOf(account);
        }
        uint256 state = _holders[account][index - 1];
        return ((state >> _HIGH_SHIFT) & _MAX_BOOKS) + _owed(balance, rps, state & _RPS_MASK);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function rewardPerShare(address token) external view returns (uint256 rps) {
        uint256 index = _indexOf[token];
        if (index == 0) return 0;
        (rps, , ) = _preview(index - 1, IERC20(VAULT).totalSupply());
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function streamOf(address token) external view returns (uint256 streaming, uint256 end, uint256 accounted) {
        uint256 index = _indexOf[token];
        if (index == 0) return (0, 0, _accounted[token]);
        uint256 released;
        (, streaming, released) = _preview(index - 1, IERC20(VAULT).totalSupply());
        uint256 header = _header;
        end = _lastUpdate(header) + _timeLeft(header, index - 1);
        return (streaming, end, _accounted[token] - released);
    }

    // ================================================================== internal: accounting

    /// @dev Advances every stream to now over `supply` shares (checkpointing them only if `write`: the streams that
    /// moved and, if one moved or `force`, the header), then settles `a` and `b` (each skipped when zero) at their
    /// balances in every token.
    function _sync(
        uint256 supply,
        bool write,
        bool force,
        address a,
        uint256 aBalance,
        address b,
        uint256 bBalance
    ) internal {
        if (write) _checkpoint(supply, force);
        if (a != address(0) || b != address(0)) _settleAll(supply, a, aBalance, b, bBalance);
    }

    /// @dev Settles `a` and `b` (each skipped when zero) in every token at the accumulators as of now over `supply`
    /// shares, computed from the last checkpoint (after a checkpoint that moved nothing, the growth since rounds to
    /// zero, so this agrees).
    function _settleAll(uint256 supply, address a, uint256 aBalance, address b, uint256 bBalance) internal {
        uint256 header = _header;
        uint256 count = header & _COUNT_MASK;
        uint256[_HOLDER_WORDS] storage stateA = _holders[a];
        uint256[_HOLDER_WORDS] storage stateB = _holders[b];
        // While recording (see MIGRATION), each side's balance is recorded on its first change.
        if (count == 0) {
            if (header & _RECORDING != 0) {
                if (a != address(0)) _record(stateA, aBalance);
                if (b != address(0)) _record(stateB, bBalance);
            }
            return;
        }
        uint256 dt;
        // Unchecked: lastUpdate is a past block's timestamp.
        unchecked {
            dt = block.timestamp - _lastUpdate(header);
        }
        for (uint256 i; i < count; ++i) {
            uint256 rps = _rpsAt(i, header, dt, supply);
            if (a != address(0)) _settle(stateA, i, aBalance, rps, header & _RECORDING != 0);
            if (b != address(0)) _settle(stateB, i, bBalance, rps, header & _RECORDING != 0);
        }
    }

    /// @dev The accumulator of stream `index`, `dt` seconds after the checkpoint in `header`, over `supply` shares.
    function _rpsAt(uint256 index, uint256 header, uint256 dt, uint256 supply) internal view returns (uint256) {
        uint256 pool = _pools[index];
        uint256 rps = pool & _RPS_MASK;
        uint256 remaining = pool >> _HIGH_SHIFT;
        // The growth `_stream` would add (nothing below MIN_STREAM_SUPPLY), without the rest of its word.
        if (dt == 0 || remaining == 0 || supply < MIN_STREAM_SUPPLY) return rps;
        uint256 timeLeft = _timeLeft(header, index);
        // Unchecked: as in `_stream` (remaining < 2^96, dt < 2^40, PRECISION < 2^90; dt < timeLeft in the division).
        unchecked {
            uint256 streamed = dt >= timeLeft ? remaining : (remaining * dt) / timeLeft;
            return (rps + (streamed * PRECISION) / supply) & _RPS_MASK;
        }
    }

    /// @dev Writes every stream advanced to now over `supply` shares: a stream only if it moved, the header
    /// only if a stream moved or `force`. When nothing moved (no stream, or less than one token unit per 1e27 shares
    /// streamed) the next advance covers the longer interval, and attributing that dust to the next supply is
    /// immaterial.
    function _checkpoint(uint256 supply, bool force) internal {
        uint256 header = _header;
        uint256 count = header & _COUNT_MASK;
        if (count == 0) return;
        uint256 dt;
        // Unchecked: lastUpdate is a past block's timestamp.
        unchecked {
            dt = block.timestamp - _lastUpdate(header);
        }
        if (dt == 0) return;
        // now fits 40 bits for some 30,000 years.
        uint256 newHeader = (header & (_COUNT_MASK | _RECORDING | _DETACHED)) | (block.timestamp << _LAST_UPDATE_SHIFT);
        bool moved = force;
        for (uint256 i; i < count; ++i) {
            uint256 timeLeft = _timeLeft(header, i);
            uint256 pool = _pools[i];
            if (pool >> _HIGH_SHIFT != 0) {
                (uint256 newPool, uint256 released) = _stream(pool, timeLeft, dt, supply);
                if (newPool != pool) {
                    moved = true;
                    _pools[i] = newPool;
                    if (released != 0) {
                        address token = _tokens[i];
                        _accounted[token] -= released;
                        emit RewardsHeld(token, released);
                    }
                }
            }
            // Unchecked: the subtraction is guarded; the shift is below 48 + 8 * 24 bits.
            unchecked {
                timeLeft = timeLeft > dt ? timeLeft - dt : 0;
                newHeader |= timeLeft << (_TIME_LEFT_SHIFT + i * _TIME_LEFT_BITS);
            }
        }
        if (moved) _header = newHeader;
    }

    /// @dev What `_sync` would do to stream `index` now: its accumulator, what would remain to stream, and what
    /// would be released from the books because the vault has (almost) no shares.
    function _preview(
        uint256 index,
        uint256 supply
    ) internal view returns (uint256 rps, uint256 remaining, uint256 released) {
        uint256 pool = _pools[index];
        uint256 header = _header;
        uint256 dt = block.timestamp - _lastUpdate(header);
        if (pool >> _HIGH_SHIFT != 0 && dt != 0) {
            (pool, released) = _stream(pool, _timeLeft(header, index), dt, supply);
        }
        return (pool & _RPS_MASK, pool >> _HIGH_SHIFT, released);
    }

    /// @dev Streams the stream word `pool` (something remaining) for `dt` > 0 of its `timeLeft` seconds over
    /// `supply` shares; returns the new word and what the vault having no shares released from the books. When
    /// nothing would be paid out (growth rounds to zero) the word comes back unchanged.
    function _stream(
        uint256 pool,
        uint256 timeLeft,
        uint256 dt,
        uint256 supply
    ) internal pure returns (uint256 newPool, uint256 released) {
        uint256 remaining = pool >> _HIGH_SHIFT;
        // Unchecked: remaining < 2^96, times < 2^40 and PRECISION < 2^90, so every product is below 2^186 (and
        // growth * supply <= streamed * PRECISION); streamed <= remaining and distributed <= streamed (below), so
        // neither subtraction underflows; the accumulator plus growth is below 2^187.
        unchecked {
            // dt < timeLeft in the division, so the divisor is positive and streamed < remaining.
            uint256 streamed = dt >= timeLeft ? remaining : (remaining * dt) / timeLeft;
            // Below MIN_STREAM_SUPPLY shares (dust a holder cannot even redeem) the vault counts as empty: what
            // streams is held for the next period instead of driving the modular accumulator round.
            if (supply < MIN_STREAM_SUPPLY) {
                return (((remaining - streamed) << _HIGH_SHIFT) | (pool & _RPS_MASK), streamed);
            }
            uint256 growth = (streamed * PRECISION) / supply;
            if (growth == 0) return (pool, 0);
            // What the growth pays out, rounded up: at most `streamed`, as growth * supply <= streamed * PRECISION.
            uint256 distributed = (growth * supply + (PRECISION - 1)) / PRECISION;
            // The accumulator is kept modulo 2^160 on purpose (see PACKING): the mask is the wrap.
            newPool = ((remaining - distributed) << _HIGH_SHIFT) | (((pool & _RPS_MASK) + growth) & _RPS_MASK);
        }
    }

    /// @dev Credits the holder whose words are `states`, holding `balance` shares since its last settlement, up to
    /// accumulator `rps` in token `index`; if `recording` and this is its first word, records its balance first.
    function _settle(
        uint256[_HOLDER_WORDS] storage states,
        uint256 index,
        uint256 balance,
        uint256 rps,
        bool recording
    ) internal {
        uint256 state = states[index];
        uint256 paid = state & _RPS_MASK;
        if (recording && index == 0 && state & _RECORDED == 0) {
            // Recorded already while no token was listed (`_record`), or now; the flag spares the check next time.
            // Unchecked: a share balance is far below 2^256 - 1.
            unchecked {
                if (states[MAX_REWARD_TOKENS] == 0) states[MAX_REWARD_TOKENS] = balance + 1;
            }
            state |= _RECORDED;
        } else if (paid == rps) {
            return;
        }
        uint256 accrued = (state >> _HIGH_SHIFT) & _MAX_BOOKS;
        if (balance != 0) {
            accrued += _owed(balance, rps, paid);
            // What one holder is owed never exceeds the token's books (<= _MAX_BOOKS) while the accumulator does not
            // wrap (see PACKING); the cap keeps the hook from ever reverting, and a claim above the books reverts.
            if (accrued > _MAX_BOOKS) accrued = _MAX_BOOKS;
        }
        states[index] = (state & _RECORDED) | (accrued << _HIGH_SHIFT) | rps;
    }

    /// @dev Tokens streamed to `balance` shares between accumulators `paid` and `rps` (both below 2^160), rounded
    /// down.
    function _owed(uint256 balance, uint256 rps, uint256 paid) internal pure returns (uint256) {
        uint256 growth;
        // Unchecked: rps and paid are below 2^160, so rps + 2^160 - paid is positive and below 2^161; the mask takes
        // the difference modulo 2^160 (see PACKING). With balance below 2^96 the product is below 2^256.
        unchecked {
            growth = (rps + (1 << _HIGH_SHIFT) - paid) & _RPS_MASK;
            if (balance <= type(uint96).max) return (balance * growth) / PRECISION;
        }
        // Balances beyond 7.9e28 share units take the full-width path.
        return Math.mulDiv(balance, growth, PRECISION);
    }

    /// @dev Whether `candidate` answers `predecessor()` with this distributor (a contract without that view does not).
    function _namesAsPredecessor(address candidate) internal view returns (bool) {
        (bool ok, bytes memory data) = candidate.staticcall(
            abi.encodeCall(IStreamingRewardsDistributor.predecessor, ())
        );
        return ok && data.length >= 32 && abi.decode(data, (address)) == address(this);
    }

    /// @dev Records the balance of the holder whose words are `states` before its first change since `inherit`, while
    /// no token is listed (otherwise `_settle` does, flagging the first word).
    function _record(uint256[_HOLDER_WORDS] storage states, uint256 balance) internal {
        if (states[MAX_REWARD_TOKENS] != 0 || states[0] & _RECORDED != 0) return;
        // Unchecked: a share balance is far below 2^256 - 1.
        unchecked {
            states[MAX_REWARD_TOKENS] = balance + 1;
        }
    }

    /// @dev The share balance `account` held when this distributor was detached: what the successor recorded, or the
    /// live balance while the successor has not seen it change. Before the detach: the live balance.
    function _balanceAtDetach(address account) internal view returns (uint256) {
        address next = successor;
        if (next != address(0)) return IStreamingRewardsDistributor(next).predecessorBalanceOf(account);
        return IERC20(VAULT).balanceOf(account);
    }

    function _lastUpdate(uint256 header) internal pure returns (uint256) {
        return uint40(header >> _LAST_UPDATE_SHIFT);
    }

    function _timeLeft(uint256 header, uint256 index) internal pure returns (uint256) {
        // Unchecked: index < MAX_REWARD_TOKENS, so the shift is below 48 + 8 * 24.
        unchecked {
            return (header >> (_TIME_LEFT_SHIFT + index * _TIME_LEFT_BITS)) & _TIME_LEFT_MASK;
        }
    }

    // ================================================================== internal: notify

    /// @dev See `notifyRewards`. `amounts` (possibly shorter than `tokens`) only feed the skip events.
    function _notify(address[] memory tokens, uint256[] memory amounts) internal {
        // Every stream to now first: a notify rewrites the header relative to now.
        _sync(IERC20(VAULT).totalSupply(), true, true, address(0), 0, address(0), 0);
        for (uint256 i; i < tokens.length; ++i) {
            address token = tokens[i];
            if (token == ASSET || token == VAULT) {
                emit RewardsSkipped(token, i < amounts.length ? amounts[i] : 0, SkipReason.VaultToken);
                continue;
            }
            if (!isAllowed[token]) {
                emit RewardsSkipped(token, i < amounts.length ? amounts[i] : 0, SkipReason.NotAllowed);
                continue;
            }
            address route = _routes[token];
            if (route != address(0)) {
                if (!_route(token, route)) continue;
                token = route;
            }
            _addToStream(token);
        }
    }

    /// @dev Deposits the unaccounted balance of `token` into `route`. Returns false (and leaves the tokens here for a
    /// later notify) if the balance cannot be read or the deposit fails.
    function _route(address token, address route) internal returns (bool) {
        (bool ok, uint256 balance) = _balanceOf(token);
        if (!ok) {
            emit RewardsSkipped(token, 0, SkipReason.TokenCallFailed);
            return false;
        }
        uint256 accounted = _accounted[token];
        if (balance <= accounted) return true;
        uint256 amount = balance - accounted;
        if (_tryCall(token, abi.encodeCall(IERC20.approve, (route, amount)))) {
            try IERC4626(route).deposit(amount, address(this)) returns (uint256 shares) {
                emit RewardsRouted(token, route, amount, shares);
                return true;
            } catch {
                _tryCall(token, abi.encodeCall(IERC20.approve, (route, 0)));
            }
        }
        emit RewardsSkipped(token, amount, SkipReason.RouteFailed);
        return false;
    }

    /// @dev Streams the unaccounted balance of `token`, listing the token on its first notify. Every stream has been
    /// advanced to now (`_sync` forced), so the header's `lastUpdate` is now or there is no stream yet.
    function _addToStream(address token) internal {
        (bool ok, uint256 balance) = _balanceOf(token);
        if (!ok) {
            emit RewardsSkipped(token, 0, SkipReason.TokenCallFailed);
            return;
        }
        uint256 accounted = _accounted[token];
        if (balance <= accounted) return;
        uint256 amount = balance - accounted;
        if (amount > _MAX_BOOKS - accounted) {
            emit RewardsSkipped(token, amount, SkipReason.AmountTooLarge);
            return;
        }
        _startStream(token, accounted, amount);
    }

    /// @dev Adds `amount` (> 0, within the books' cap) to the stream of `token`, whose books are `accounted`.
    function _startStream(address token, uint256 accounted, uint256 amount) internal {
        uint256 header = _header;
        uint256 index = _indexOf[token];
        if (index == 0) {
            uint256 count = header & _COUNT_MASK;
            if (count == MAX_REWARD_TOKENS) {
                emit RewardsSkipped(token, amount, SkipReason.TooManyTokens);
                return;
            }
            _tokens[count] = token;
            index = count + 1;
            _indexOf[token] = index;
            // count < MAX_REWARD_TOKENS < 255: the count field cannot carry over.
            ++header;
            emit RewardTokenAdded(token);
        }
        uint256 i = index - 1;
        uint256 pool = _pools[i];
        uint256 remaining = pool >> _HIGH_SHIFT;
        // The header's lastUpdate is now whenever a stream is running (see above), so timeLeft is from now.
        uint256 shift = _TIME_LEFT_SHIFT + i * _TIME_LEFT_BITS;
        uint256 timeLeft = (header >> shift) & _TIME_LEFT_MASK;
        // remaining <= accounted, so streaming <= accounted + amount <= _MAX_BOOKS (checked above).
        uint256 streaming = remaining + amount;
        // Amount-weighted time left, at least one second since amount > 0 and the period is at least an hour; at
        // most max(timeLeft, rewardPeriod) <= MAX_REWARD_PERIOD < 2^24, so it fits its field.
        uint256 newTimeLeft = (remaining * timeLeft + amount * rewardPeriod) / streaming;
        header = header & ~((_TIME_LEFT_MASK << shift) | _LAST_UPDATE_MASK);
        _header = header | (newTimeLeft << shift) | (block.timestamp << _LAST_UPDATE_SHIFT);
        _pools[i] = (streaming << _HIGH_SHIFT) | (pool & _RPS_MASK);
        _accounted[token] = accounted + amount;
        emit RewardsNotified(token, amount, streaming, block.timestamp + newTimeLeft);
    }

    /// @dev Sends the unowed balance of `token` to `to`, best effort: returns whether it worked and how much moved.
    function _handOver(address token, address to) internal returns (bool ok, uint256 amount) {
        uint256 balance;
        (ok, balance) = _balanceOf(token);
        if (!ok) return (false, 0);
        uint256 owed = _accounted[token];
        if (balance <= owed) return (true, 0);
        amount = balance - owed;
        ok = _tryCall(token, abi.encodeCall(IERC20.transfer, (to, amount)));
        if (!ok) return (false, 0);
        emit HandedOver(token, to, amount);
    }

    /// @dev `token.balanceOf(this)` with bounded gas; false if it reverts, burns its gas or returns too little.
    function _balanceOf(address token) internal view returns (bool ok, uint256 amount) {
        bytes memory data = abi.encodeCall(IERC20.balanceOf, (address(this)));
        uint256 size;
        // Only the first word of the return data is copied (into scratch space), so a huge return costs nothing.
        assembly ("memory-safe") {
            ok := staticcall(_TOKEN_VIEW_GAS, token, add(data, 0x20), mload(data), 0x00, 0x20)
            size := returndatasize()
            amount := mload(0x00)
        }
        if (!ok || size < 32) return (false, 0);
    }

    /// @dev Calls `token` with `data` (an approve or a transfer); true if it did not revert and returned nothing (from
    /// a contract) or true, as SafeERC20 accepts.
    function _tryCall(address token, bytes memory data) internal returns (bool) {
        bool ok;
        uint256 size;
        uint256 word;
        assembly ("memory-safe") {
            ok := call(gas(), token, 0, add(data, 0x20), mload(data), 0x00, 0x20)
            size := returndatasize()
            word := mload(0x00)
        }
        if (!ok) return false;
        return size == 0 ? token.code.length != 0 : (size >= 32 && word == 1);
    }

    // ================================================================== internal: timelock

    /// @dev Consumes the submission of the current call, or lets it through while the vault's timelock is zero.
    function _timelocked() internal {
        bytes32 id = keccak256(msg.data);
        uint256 pending = _pending[id];
        if (pending == 0) {
            if (IVaultAdmin(VAULT).timelock() != 0) revert NotSubmitted();
            return;
        }
        uint256 at = _executableAt(pending);
        if (block.timestamp < at) revert TimelockNotElapsed(at);
        if (block.timestamp > at + TIMELOCK_GRACE) revert SubmissionExpired(at + TIMELOCK_GRACE);
        delete _pending[id];
        emit Accepted(bytes4(msg.data), msg.data);
    }

    /// @dev The later of the time set at submission and submission plus the timelock in force now.
    function _executableAt(uint256 pending) internal view returns (uint256) {
        return Math.max(uint128(pending), (pending >> 128) + IVaultAdmin(VAULT).timelock());
    }

    function _checkPeriod(uint256 period) internal pure {
        if (period < MIN_REWARD_PERIOD || period > MAX_REWARD_PERIOD) {
            revert PeriodOutOfBounds(period, MIN_REWARD_PERIOD, MAX_REWARD_PERIOD);
        }
    }
}
