// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IRewardsDistributor, IStreamingRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IVaultAdmin} from "../interfaces/IVaultAdmin.sol";

/// @title RewardsDistributor
/// @notice Streams the reward tokens a vault harvests to the vault's share holders, pro rata to their shares over
/// time, and lets each holder claim any subset of tokens to any receiver.
/// @dev STREAMS. Each token has one stream: `remaining` tokens to stream linearly until `end`. Advancing a stream by
/// `dt` streams `remaining * dt / (end - lastUpdate)` (rounded down; at or after `end`, all that is left). A notify
/// merges the new amount into the stream; the merged end is the amount-weighted average of the old end and
/// `now + rewardPeriod`.
/// ACCUMULATORS. A streamed amount raises `rewardPerShare` by `streamed * 1e27 / totalSupply` (rounded down), and only
/// what that increment pays out (rounded up) leaves `remaining`: the rounding remainder streams again, so the stream
/// loses nothing. A holder is owed `balance * (rewardPerShare - paid) / 1e27` (rounded down) on top of what was
/// settled before. The vault calls `beforeBalanceChange` before every share mint, burn and transfer, so the supply
/// and both balances are constant between two settlements: the cost is one settlement per listed token (at most
/// MAX_REWARD_TOKENS) and never depends on the number of holders. A deposit earns only what streams after it.
/// PACKING. To keep a share transfer cheap, a holder's state per token is one slot (uint128 paid accumulator,
/// uint128 accrued) and so is a stream's (uint128 accumulator, uint128 remaining). The accumulator is kept modulo
/// 2^128 and every use takes a difference modulo 2^128; that difference is right as long as one holder's
/// unsettled growth stays below 2^128 / 1e27 = 3.4e11 token units per share unit (about 3.4e11 whole 18-decimal
/// tokens per whole share). Only a near-empty vault fed absurd amounts gets there, and the holder then gets less,
/// never more: the distributor cannot be drained. A token's books are capped at 2^128 - 1 (larger amounts are
/// skipped), so no holder's accrued amount can overflow.
/// BOOKS. `accounted` is what is streaming plus what was streamed to holders and not yet claimed (per-holder
/// rounding dust included, so holders can never claim more than was harvested). A notify streams
/// `balance - accounted`: the amounts the adapter reports are ignored. What streams while the vault has no shares
/// leaves `accounted` and so streams again at the next notify of that token.
/// BOUNDS. The token list is append-only and bounded by MAX_REWARD_TOKENS. A token arriving when the list is full is
/// skipped (never a revert, so a misbehaving adapter cannot block harvests) and stays here until swept. The owner or
/// curator may block a token before it is listed, to keep junk off the list.
/// NOT HANDLED. No share holder is excluded (the vault itself, an escrow, an AMM pool): shares held by a contract
/// that cannot claim leave their part unclaimed here. A distributor must not be detached from its vault and attached
/// again: balances moving in between would not be settled. Use a fresh distributor instead.
contract RewardsDistributor is IStreamingRewardsDistributor, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ================================================================== constants and immutables

    /// @notice Most tokens that can ever stream; bounds every loop over tokens (and so the cost of a share transfer).
    uint256 public constant MAX_REWARD_TOKENS = 8;
    /// @notice Scale of `rewardPerShare`: an advance over fewer than 1e27 shares rounds away less than one token unit
    /// per share unit, and that remainder streams again.
    uint256 public constant PRECISION = 1e27;
    /// @notice Shortest reward period.
    uint256 public constant MIN_REWARD_PERIOD = 1 hours;
    /// @notice Longest reward period.
    uint256 public constant MAX_REWARD_PERIOD = 90 days;

    /// @notice The vault whose share holders this distributor pays.
    address public immutable VAULT;
    /// @notice The vault's asset, never streamed.
    address public immutable ASSET;

    // ================================================================== storage

    /// @dev One slot per listed token: the list entry and its stream's times.
    struct Listing {
        address token;
        uint48 lastUpdate;
        uint48 end;
    }

    /// @dev One slot per token: the accumulator (modulo 2^128) and what is still to stream.
    struct Pool {
        uint128 rewardPerShare;
        uint128 remaining;
    }

    /// @dev One slot per token and holder: the accumulator at the last settlement and what is owed since.
    struct Holder {
        uint128 paid;
        uint128 accrued;
    }

    /// @inheritdoc IStreamingRewardsDistributor
    uint256 public rewardPeriod;

    Listing[] internal _listings;
    mapping(address token => uint256 indexPlusOne) internal _indexOf;
    mapping(address token => Pool) internal _pools;
    mapping(address token => uint256) internal _accounted;
    mapping(address token => mapping(address account => Holder)) internal _holders;
    mapping(address token => address route) internal _routes;
    /// @inheritdoc IStreamingRewardsDistributor
    mapping(address token => bool) public isBlocked;

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

    // ================================================================== vault hooks

    /// @inheritdoc IRewardsDistributor
    /// @dev Not guarded against reentrancy on purpose: it makes no external call but views on the vault, and claim
    /// and notify write their effects before any transfer, so a settlement reached from their callbacks is sound.
    function beforeBalanceChange(address from, address to) external onlyVault {
        uint256 count = _listings.length;
        if (count == 0) return;
        uint256 supply = IERC20(VAULT).totalSupply();
        uint256 fromBalance = from == address(0) ? 0 : IERC20(VAULT).balanceOf(from);
        bool settleTo = to != address(0) && to != from;
        uint256 toBalance = settleTo ? IERC20(VAULT).balanceOf(to) : 0;
        for (uint256 i; i < count; ++i) {
            (address token, uint128 rps) = _advance(_listings[i], supply);
            if (from != address(0)) _settle(token, from, fromBalance, rps);
            if (settleTo) _settle(token, to, toBalance, rps);
        }
    }

    /// @inheritdoc IRewardsDistributor
    /// @dev Per token: the vault's asset and share are skipped; a routed token is deposited into its route first and
    /// the route's shares stream instead; then `balance - accounted` joins the stream. Nothing here reverts on a
    /// token's account (a full list, an oversized amount or a failing route only skip that token), so one bad
    /// token cannot block a harvest.
    function notifyRewards(address[] calldata tokens, uint256[] calldata) external nonReentrant onlyVault {
        uint256 supply = IERC20(VAULT).totalSupply();
        for (uint256 i; i < tokens.length; ++i) {
            address token = tokens[i];
            if (token == ASSET || token == VAULT) {
                emit RewardsSkipped(token, IERC20(token).balanceOf(address(this)), SkipReason.VaultToken);
                continue;
            }
            if (isBlocked[token]) {
                emit RewardsSkipped(token, IERC20(token).balanceOf(address(this)), SkipReason.Blocked);
                continue;
            }
            address route = _routes[token];
            if (route != address(0)) {
                if (!_route(token, route)) continue;
                token = route;
            }
            _addToStream(token, supply);
        }
    }

    // ================================================================== holders

    /// @inheritdoc IStreamingRewardsDistributor
    function claim(
        address[] calldata tokens,
        address receiver
    ) external nonReentrant returns (uint256[] memory amounts) {
        if (receiver == address(0)) revert ZeroAddress();
        uint256 supply = IERC20(VAULT).totalSupply();
        uint256 balance = IERC20(VAULT).balanceOf(msg.sender);
        amounts = new uint256[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            address token = tokens[i];
            uint256 index = _indexOf[token];
            if (index == 0) revert NotRewardToken(token);
            (, uint128 rps) = _advance(_listings[index - 1], supply);
            _settle(token, msg.sender, balance, rps);
            uint256 amount = _holders[token][msg.sender].accrued;
            if (amount == 0) continue;
            _holders[token][msg.sender] = Holder({paid: rps, accrued: 0});
            _accounted[token] -= amount;
            amounts[i] = amount;
            emit RewardPaid(msg.sender, receiver, token, amount);
            IERC20(token).safeTransfer(receiver, amount);
        }
    }

    // ================================================================== configuration

    /// @inheritdoc IStreamingRewardsDistributor
    function setRoute(address token, address route) external onlyOwnerOrCurator {
        if (token == address(0)) revert ZeroAddress();
        if (token == ASSET || token == VAULT) revert VaultTokenNotAllowed(token);
        if (route == _routes[token]) revert AlreadySet();
        if (route != address(0)) {
            if (route == VAULT || route == ASSET || route == token) revert InvalidRoute(route);
            address routeAsset = IERC4626(route).asset();
            if (routeAsset != token) revert RouteAssetMismatch(token, route, routeAsset);
        }
        _routes[token] = route;
        emit RouteSet(token, route);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function setBlocked(address token, bool blocked) external onlyOwnerOrCurator {
        if (_indexOf[token] != 0) revert AlreadyListed(token);
        if (isBlocked[token] == blocked) revert AlreadySet();
        isBlocked[token] = blocked;
        emit BlockedSet(token, blocked);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function setRewardPeriod(uint256 period) external onlyOwnerOrCurator {
        _checkPeriod(period);
        if (period == rewardPeriod) revert AlreadySet();
        rewardPeriod = period;
        emit RewardPeriodSet(period);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    /// @dev A routed token cannot be swept either: its balance is waiting for the route to accept it.
    function sweep(address token) external nonReentrant onlyOwnerOrCurator {
        if (_indexOf[token] != 0 || _routes[token] != address(0)) revert CannotSweepRewardToken(token);
        address receiver = IVaultAdmin(VAULT).skimRecipient();
        if (receiver == address(0)) revert ZeroAddress();
        uint256 amount = IERC20(token).balanceOf(address(this));
        if (amount == 0) revert NothingToSweep(token);
        emit Swept(token, receiver, amount);
        IERC20(token).safeTransfer(receiver, amount);
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
        uint256 count = _listings.length;
        tokens = new address[](count);
        for (uint256 i; i < count; ++i) {
            tokens[i] = _listings[i].token;
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
    function earned(address account, address token) external view returns (uint256) {
        uint256 index = _indexOf[token];
        if (index == 0) return 0;
        (uint128 rps, , ) = _preview(_listings[index - 1], IERC20(VAULT).totalSupply());
        Holder memory holder = _holders[token][account];
        return holder.accrued + _owed(IERC20(VAULT).balanceOf(account), rps, holder.paid);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function rewardPerShare(address token) external view returns (uint256 rps) {
        uint256 index = _indexOf[token];
        if (index == 0) return 0;
        (rps, , ) = _preview(_listings[index - 1], IERC20(VAULT).totalSupply());
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function streamOf(address token) external view returns (uint256 streaming, uint256 end, uint256 accounted) {
        uint256 index = _indexOf[token];
        if (index == 0) return (0, 0, _accounted[token]);
        Listing memory listing = _listings[index - 1];
        uint256 released;
        (, streaming, released) = _preview(listing, IERC20(VAULT).totalSupply());
        return (streaming, listing.end, _accounted[token] - released);
    }

    // ================================================================== internal: accounting

    /// @dev Streams `listing`'s token up to now over `supply` shares and returns the token and its accumulator.
    /// Writes nothing when the accumulator would not move (less than one token unit per 1e27 shares streamed), so
    /// the next advance covers the longer interval; attributing that dust to the next supply is immaterial.
    function _advance(Listing storage listing, uint256 supply) internal returns (address token, uint128 rps) {
        Listing memory current = listing;
        token = current.token;
        Pool memory pool = _pools[token];
        rps = pool.rewardPerShare;
        if (pool.remaining == 0 || current.lastUpdate == block.timestamp) return (token, rps);
        (uint128 newRps, uint256 remaining, uint256 released) = _previewPool(current, pool, supply);
        if (remaining == pool.remaining) return (token, rps);
        // remaining <= pool.remaining (see `_previewPool`), and now fits 48 bits for millions of years.
        listing.lastUpdate = uint48(block.timestamp);
        _pools[token] = Pool({rewardPerShare: newRps, remaining: uint128(remaining)});
        if (released != 0) {
            _accounted[token] -= released;
            emit RewardsHeld(token, released);
        }
        return (token, newRps);
    }

    /// @dev What `_advance` would do now: the new accumulator, what would remain to stream, and what would be
    /// released from the books because the vault has no shares.
    function _preview(
        Listing memory listing,
        uint256 supply
    ) internal view returns (uint128 rps, uint256 remaining, uint256 released) {
        return _previewPool(listing, _pools[listing.token], supply);
    }

    function _previewPool(
        Listing memory listing,
        Pool memory pool,
        uint256 supply
    ) internal view returns (uint128 rps, uint256 remaining, uint256 released) {
        rps = pool.rewardPerShare;
        remaining = pool.remaining;
        if (remaining == 0 || block.timestamp <= listing.lastUpdate) return (rps, remaining, 0);
        // Plain products below cannot overflow: remaining < 2^128, times < 2^48, PRECISION < 2^90, and
        // growth * supply <= streamed * PRECISION < 2^218.
        uint256 streamed;
        if (block.timestamp >= listing.end) {
            streamed = remaining;
        } else {
            // lastUpdate < now < end here, so the divisor is positive and streamed < remaining.
            streamed = (remaining * (block.timestamp - listing.lastUpdate)) / (listing.end - listing.lastUpdate);
        }
        if (supply == 0) return (rps, remaining - streamed, streamed);
        uint256 growth = (streamed * PRECISION) / supply;
        // What the growth pays out, rounded up: at most `streamed`, since growth * supply <= streamed * PRECISION.
        uint256 distributed = Math.ceilDiv(growth * supply, PRECISION);
        // The accumulator is kept modulo 2^128 on purpose (see PACKING): the truncation is the wrap.
        rps = uint128(uint256(rps) + growth);
        remaining -= distributed;
    }

    /// @dev Credits `account`, holding `balance` shares since its last settlement, up to accumulator `rps`.
    function _settle(address token, address account, uint256 balance, uint128 rps) internal {
        Holder memory holder = _holders[token][account];
        if (holder.paid == rps) return;
        uint256 accrued = holder.accrued;
        if (balance != 0) accrued += _owed(balance, rps, holder.paid);
        // accrued <= the token's books <= 2^128 - 1 (see PACKING): the cast cannot fail.
        _holders[token][account] = Holder({paid: rps, accrued: SafeCast.toUint128(accrued)});
    }

    /// @dev Tokens streamed to `balance` shares between accumulators `paid` and `rps`, rounded down.
    function _owed(uint256 balance, uint128 rps, uint128 paid) internal pure returns (uint256) {
        uint128 growth;
        // Difference modulo 2^128 (see PACKING).
        unchecked {
            growth = rps - paid;
        }
        return Math.mulDiv(balance, growth, PRECISION);
    }

    // ================================================================== internal: notify

    /// @dev Deposits the unaccounted balance of `token` into `route`. Returns false (and leaves the tokens here for a
    /// later notify) if the deposit reverts.
    function _route(address token, address route) internal returns (bool) {
        uint256 amount = IERC20(token).balanceOf(address(this)) - _accounted[token];
        if (amount == 0) return true;
        IERC20(token).forceApprove(route, amount);
        try IERC4626(route).deposit(amount, address(this)) returns (uint256 shares) {
            emit RewardsRouted(token, route, amount, shares);
            return true;
        } catch {
            IERC20(token).forceApprove(route, 0);
            emit RewardsSkipped(token, amount, SkipReason.RouteFailed);
            return false;
        }
    }

    /// @dev Streams the unaccounted balance of `token`, listing the token on its first notify.
    function _addToStream(address token, uint256 supply) internal {
        uint256 index = _indexOf[token];
        if (index != 0) _advance(_listings[index - 1], supply);
        uint256 accounted = _accounted[token];
        uint256 amount = IERC20(token).balanceOf(address(this)) - accounted;
        if (amount == 0) return;
        if (amount > type(uint128).max - accounted) {
            emit RewardsSkipped(token, amount, SkipReason.AmountTooLarge);
            return;
        }
        if (index == 0) {
            if (isBlocked[token]) {
                emit RewardsSkipped(token, amount, SkipReason.Blocked);
                return;
            }
            if (_listings.length == MAX_REWARD_TOKENS) {
                emit RewardsSkipped(token, amount, SkipReason.TooManyTokens);
                return;
            }
            _listings.push(Listing({token: token, lastUpdate: 0, end: 0}));
            index = _listings.length;
            _indexOf[token] = index;
            emit RewardTokenAdded(token);
        }
        Listing storage listing = _listings[index - 1];
        Pool storage pool = _pools[token];
        uint256 remaining = pool.remaining;
        uint256 timeLeft = listing.end > block.timestamp ? listing.end - block.timestamp : 0;
        // remaining <= accounted, so streaming <= accounted + amount <= 2^128 - 1 (checked above).
        uint256 streaming = remaining + amount;
        // Amount-weighted end, at least one second away since amount > 0 and the period is at least an hour.
        uint256 end = block.timestamp + (remaining * timeLeft + amount * rewardPeriod) / streaming;
        // now and end (at most now + MAX_REWARD_PERIOD) fit 48 bits for millions of years.
        listing.lastUpdate = uint48(block.timestamp);
        listing.end = uint48(end);
        pool.remaining = uint128(streaming);
        _accounted[token] = accounted + amount;
        emit RewardsNotified(token, amount, streaming, end);
    }

    function _checkPeriod(uint256 period) internal pure {
        if (period < MIN_REWARD_PERIOD || period > MAX_REWARD_PERIOD) {
            revert PeriodOutOfBounds(period, MIN_REWARD_PERIOD, MAX_REWARD_PERIOD);
        }
    }
}
