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
/// @dev STREAMS. Each token has one stream: `remaining` tokens to stream linearly until `end`. Advancing a stream by
/// `dt` streams `remaining * dt / (end - lastUpdate)` (rounded down; the last advance at or after `end` streams what
/// is left), so `streamed + remaining` always equals what was notified, exactly. A notify merges the new amount into
/// the stream; the merged end is the amount-weighted average of the old end and `now + rewardPeriod`.
/// ACCUMULATORS. Streamed tokens raise `rewardPerShare` by `streamed * 1e36 / totalSupply` (rounded down). A holder
/// is owed `balance * (rewardPerShare - paid) / 1e36` (rounded down) on top of what was settled before. The vault
/// calls `beforeBalanceChange` before every share mint, burn and transfer, so the supply and both balances are
/// constant between two settlements: the cost is one settlement per listed token (at most MAX_REWARD_TOKENS) and
/// never depends on the number of holders. A deposit earns only what streams after it: no harvest sniping.
/// BOOKS. `accounted` is what is streaming plus what was streamed to holders and not yet claimed (rounding dust
/// included, so holders can never claim more than was harvested). A notify streams `balance - accounted`: the
/// amounts the adapter reports are ignored. What streams while the vault has no shares leaves `accounted` and so
/// streams again at the next notify of that token.
/// BOUNDS. The token list is append-only and bounded by MAX_REWARD_TOKENS. A token arriving when the list is full is
/// skipped (never a revert, so a misbehaving adapter cannot block harvests) and stays here until swept.
/// NOT HANDLED. No share holder is excluded (the vault itself, an escrow, an AMM pool): shares held by a contract
/// that cannot claim leave their part unclaimed here. A distributor must not be detached from its vault and attached
/// again: balances moving in between would not be settled. Use a fresh distributor instead.
contract RewardsDistributor is IStreamingRewardsDistributor, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    // ================================================================== constants and immutables

    /// @notice Most tokens that can ever stream; bounds every loop over tokens (and so the cost of a share transfer).
    uint256 public constant MAX_REWARD_TOKENS = 8;
    /// @notice Scale of `rewardPerShare`: high enough that one advance loses under one token unit per 1e36 shares.
    uint256 public constant PRECISION = 1e36;
    /// @notice Shortest reward period.
    uint256 public constant MIN_REWARD_PERIOD = 1 hours;
    /// @notice Longest reward period.
    uint256 public constant MAX_REWARD_PERIOD = 90 days;

    /// @notice The vault whose share holders this distributor pays.
    address public immutable VAULT;
    /// @notice The vault's asset, never streamed.
    address public immutable ASSET;

    // ================================================================== storage

    /// @dev One slot: read and written by every settlement of an active stream.
    struct Stream {
        uint128 remaining;
        uint64 lastUpdate;
        uint64 end;
    }

    struct Holder {
        uint256 paid;
        uint256 accrued;
    }

    /// @inheritdoc IStreamingRewardsDistributor
    uint256 public rewardPeriod;

    address[] internal _tokens;
    mapping(address token => bool) public isRewardToken;
    mapping(address token => Stream) internal _streams;
    mapping(address token => uint256) internal _rewardPerShare;
    mapping(address token => uint256) internal _accounted;
    mapping(address token => mapping(address account => Holder)) internal _holders;
    mapping(address token => address route) internal _routes;

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
        uint256 count = _tokens.length;
        if (count == 0) return;
        uint256 supply = IERC20(VAULT).totalSupply();
        uint256 fromBalance = from == address(0) ? 0 : IERC20(VAULT).balanceOf(from);
        bool settleTo = to != address(0) && to != from;
        uint256 toBalance = settleTo ? IERC20(VAULT).balanceOf(to) : 0;
        for (uint256 i; i < count; ++i) {
            address token = _tokens[i];
            uint256 rps = _advance(token, supply);
            if (from != address(0)) _settle(token, from, fromBalance, rps);
            if (settleTo) _settle(token, to, toBalance, rps);
        }
    }

    /// @inheritdoc IRewardsDistributor
    /// @dev Per token: the vault's asset and share are skipped; a routed token is deposited into its route first and
    /// the route's shares stream instead; then `balance - accounted` joins the stream. Nothing here reverts on a
    /// token's account (a full list, an oversized amount or a failing route only skip that token), so one bad
    /// token cannot block a harvest.
    function notifyRewards(address[] calldata tokens, uint256[] calldata) external onlyVault nonReentrant {
        uint256 supply = IERC20(VAULT).totalSupply();
        for (uint256 i; i < tokens.length; ++i) {
            address token = tokens[i];
            if (token == ASSET || token == VAULT) {
                emit RewardsSkipped(token, IERC20(token).balanceOf(address(this)), SkipReason.VaultToken);
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
            if (!isRewardToken[token]) revert NotRewardToken(token);
            _settle(token, msg.sender, balance, _advance(token, supply));
            Holder storage holder = _holders[token][msg.sender];
            uint256 amount = holder.accrued;
            if (amount == 0) continue;
            holder.accrued = 0;
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
    function setRewardPeriod(uint256 period) external onlyOwnerOrCurator {
        _checkPeriod(period);
        if (period == rewardPeriod) revert AlreadySet();
        rewardPeriod = period;
        emit RewardPeriodSet(period);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    /// @dev A routed token cannot be swept either: its balance is waiting for the route to accept it.
    function sweep(address token) external onlyOwnerOrCurator nonReentrant {
        if (isRewardToken[token] || _routes[token] != address(0)) revert CannotSweepRewardToken(token);
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
    function rewardTokens() external view returns (address[] memory) {
        return _tokens;
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function routeOf(address token) external view returns (address) {
        return _routes[token];
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function earned(address account, address token) external view returns (uint256) {
        if (!isRewardToken[token]) return 0;
        uint256 rps = _currentRewardPerShare(token, IERC20(VAULT).totalSupply());
        Holder memory holder = _holders[token][account];
        return holder.accrued + _owed(IERC20(VAULT).balanceOf(account), rps, holder.paid);
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function rewardPerShare(address token) external view returns (uint256) {
        return _currentRewardPerShare(token, IERC20(VAULT).totalSupply());
    }

    /// @inheritdoc IStreamingRewardsDistributor
    function streamOf(address token) external view returns (uint256 streaming, uint256 end, uint256 accounted) {
        Stream memory stream = _streams[token];
        uint256 streamed = _streamed(stream);
        accounted = _accounted[token];
        // What streams over an empty vault leaves the books (see `_advance`).
        if (IERC20(VAULT).totalSupply() == 0) accounted -= streamed;
        return (stream.remaining - streamed, stream.end, accounted);
    }

    // ================================================================== internal: accounting

    /// @dev Streams `token` up to now over `supply` shares and returns the new accumulator. Over an empty vault the
    /// streamed tokens leave `accounted` instead, to stream again at the next notify.
    function _advance(address token, uint256 supply) internal returns (uint256 rps) {
        rps = _rewardPerShare[token];
        Stream memory stream = _streams[token];
        if (stream.remaining == 0 || stream.lastUpdate == block.timestamp) return rps;
        uint256 streamed = _streamed(stream);
        // streamed <= remaining (see `_streamed`), and now fits 64 bits for billions of years.
        _streams[token] = Stream({
            remaining: uint128(stream.remaining - streamed),
            lastUpdate: uint64(block.timestamp),
            end: stream.end
        });
        if (streamed == 0) return rps;
        if (supply == 0) {
            _accounted[token] -= streamed;
            emit RewardsHeld(token, streamed);
            return rps;
        }
        // The accumulator may wrap (only after absurd amounts over a near-empty vault): every use takes a
        // difference modulo 2^256, which stays right as long as one holder's unsettled growth is below 2^256.
        unchecked {
            rps += Math.mulDiv(streamed, PRECISION, supply);
        }
        _rewardPerShare[token] = rps;
    }

    /// @dev Credits `account`, holding `balance` shares since its last settlement, up to accumulator `rps`.
    function _settle(address token, address account, uint256 balance, uint256 rps) internal {
        Holder storage holder = _holders[token][account];
        uint256 paid = holder.paid;
        if (paid == rps) return;
        if (balance != 0) holder.accrued += _owed(balance, rps, paid);
        holder.paid = rps;
    }

    /// @dev Tokens streamed to `balance` shares between accumulators `paid` and `rps`, rounded down.
    function _owed(uint256 balance, uint256 rps, uint256 paid) internal pure returns (uint256) {
        uint256 growth;
        // Modular difference: see the accumulator note in `_advance`.
        unchecked {
            growth = rps - paid;
        }
        return Math.mulDiv(balance, growth, PRECISION);
    }

    /// @dev What `_advance` would stream now, without writing it.
    function _streamed(Stream memory stream) internal view returns (uint256) {
        if (stream.remaining == 0 || block.timestamp <= stream.lastUpdate) return 0;
        if (block.timestamp >= stream.end) return stream.remaining;
        // A stream with something remaining always ends after its last update (set by notify and by `_advance`,
        // which empties it once `end` is reached), so the divisor is positive and the result below `remaining`.
        return
            Math.mulDiv(stream.remaining, block.timestamp - stream.lastUpdate, uint256(stream.end) - stream.lastUpdate);
    }

    /// @dev The accumulator `_advance` would reach now.
    function _currentRewardPerShare(address token, uint256 supply) internal view returns (uint256 rps) {
        rps = _rewardPerShare[token];
        if (supply == 0) return rps;
        unchecked {
            rps += Math.mulDiv(_streamed(_streams[token]), PRECISION, supply);
        }
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
        bool listed = isRewardToken[token];
        if (listed) _advance(token, supply);
        uint256 amount = IERC20(token).balanceOf(address(this)) - _accounted[token];
        if (amount == 0) return;
        Stream memory stream = _streams[token];
        if (amount > type(uint128).max - stream.remaining) {
            emit RewardsSkipped(token, amount, SkipReason.AmountTooLarge);
            return;
        }
        if (!listed) {
            if (_tokens.length == MAX_REWARD_TOKENS) {
                emit RewardsSkipped(token, amount, SkipReason.TooManyTokens);
                return;
            }
            _tokens.push(token);
            isRewardToken[token] = true;
            emit RewardTokenAdded(token);
        }
        // After `_advance`, a stream with something remaining ends in the future.
        uint256 timeLeft = stream.remaining == 0 ? 0 : stream.end - block.timestamp;
        uint256 streaming = stream.remaining + amount;
        // Amount-weighted end: at least one second away, since timeLeft >= 1 when remaining > 0 and period >= 1.
        uint256 end = block.timestamp + (stream.remaining * timeLeft + amount * rewardPeriod) / streaming;
        // streaming <= type(uint128).max (checked above); end <= now + MAX_REWARD_PERIOD fits 64 bits.
        _streams[token] = Stream({
            remaining: uint128(streaming),
            lastUpdate: uint64(block.timestamp),
            end: uint64(end)
        });
        _accounted[token] += amount;
        emit RewardsNotified(token, amount, streaming, end);
    }

    function _checkPeriod(uint256 period) internal pure {
        if (period < MIN_REWARD_PERIOD || period > MAX_REWARD_PERIOD) {
            revert PeriodOutOfBounds(period, MIN_REWARD_PERIOD, MAX_REWARD_PERIOD);
        }
    }
}
