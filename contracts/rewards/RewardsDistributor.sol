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
/// @dev STREAMS. Each token has one stream: `remaining` tokens to stream linearly over the `timeLeft` seconds after
/// the shared `lastUpdate`. Advancing a stream by `dt` streams `remaining * dt / timeLeft` (rounded down; once
/// `dt >= timeLeft`, all that is left). A notify merges the new amount into the stream; the merged time left is the
/// amount-weighted average of the old time left and `rewardPeriod`. All streams share one clock: every advance moves
/// them all to now, so a claim settles the caller in every token. A stream whose advance pays nothing (dust) keeps
/// what remains while its time left still runs down, so it ends on time.
/// ACCUMULATORS. A streamed amount raises `rewardPerShare` by `streamed * 1e27 / totalSupply` (rounded down), and only
/// what that increment pays out (rounded up) leaves `remaining`: the rounding remainder streams again, so the stream
/// loses nothing. A holder is owed `balance * (rewardPerShare - paid) / 1e27` (rounded down) on top of what was
/// settled before. The vault calls `beforeBalanceChange` before every share mint, burn and transfer, with the supply
/// and both balances, so these are constant between two settlements: the cost is one settlement per listed token (at
/// most MAX_REWARD_TOKENS) and never depends on the number of holders. A deposit earns only what streams after it.
/// PACKING. A share transfer touches few slots. One header slot holds the token count, the `lastUpdate` shared by all
/// streams (they always advance together) and each stream's `timeLeft` (24 bits: at most MAX_REWARD_PERIOD, which is
/// below 2^24 seconds); it is written at most once per block. A stream is one slot (uint128 accumulator, uint128
/// remaining) and so is a holder's state per token (uint128 paid accumulator, uint128 accrued), both indexed by the
/// token's position in the list; neither is written when it would not change. The accumulator is kept modulo 2^128
/// and every use takes a difference modulo 2^128; that difference is right as long as one holder's unsettled growth
/// stays below 2^128 / 1e27 = 3.4e11 token units per share unit (about 3.4e11 whole 18-decimal tokens per whole
/// share). Only a near-empty vault fed absurd amounts gets there, and the holder then gets less, never more: the
/// distributor cannot be drained. A token's books are capped at 2^128 - 1 (larger amounts are skipped), so no
/// holder's accrued amount can overflow.
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
    /// @notice Fewest shares a stream pays out to: 1e12 shares (one asset wei of a 6-decimal vault). Over a smaller
    /// supply what streams is held and streamed again at the next harvest, so a dust holder left alone cannot wrap
    /// the accumulator and strand the stream.
    uint256 public constant MIN_STREAM_SUPPLY = 1e12;
    /// @notice Shortest reward period.
    uint256 public constant MIN_REWARD_PERIOD = 1 hours;
    /// @notice Longest reward period.
    uint256 public constant MAX_REWARD_PERIOD = 90 days;

    /// @notice The vault whose share holders this distributor pays.
    address public immutable VAULT;
    /// @notice The vault's asset, never streamed.
    address public immutable ASSET;

    // ================================================================== storage

    /// @dev Header layout: bits 0-7 the token count, 8-47 `lastUpdate`, then 24 bits of `timeLeft` per token.
    uint256 internal constant _COUNT_MASK = 0xff;
    uint256 internal constant _LAST_UPDATE_SHIFT = 8;
    uint256 internal constant _TIME_LEFT_SHIFT = 48;
    uint256 internal constant _TIME_LEFT_BITS = 24;
    uint256 internal constant _TIME_LEFT_MASK = 0xffffff;

    /// @dev Low 128 bits of a stream word: the accumulator (modulo 2^128); high 128 bits: what is still to stream.
    /// Low 128 bits of a holder word: the accumulator at its last settlement; high 128 bits: what is owed since.
    /// Raw words rather than structs: the share-transfer hook reads and writes them without memory copies.
    uint256 internal constant _LOW_MASK = type(uint128).max;

    /// @inheritdoc IStreamingRewardsDistributor
    uint256 public rewardPeriod;

    /// @dev The token count, the shared last update and every stream's time left (see PACKING).
    uint256 internal _header;
    address[MAX_REWARD_TOKENS] internal _tokens;
    /// @dev One word per listed token (see `_LOW_MASK`), by list position.
    uint256[MAX_REWARD_TOKENS] internal _pools;
    /// @dev One word per holder and listed token (see `_LOW_MASK`), by list position.
    mapping(address account => uint256[MAX_REWARD_TOKENS]) internal _holders;
    mapping(address token => uint256 indexPlusOne) internal _indexOf;
    mapping(address token => uint256) internal _accounted;
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
    /// @dev Not guarded against reentrancy on purpose: it makes no external call, and claim and notify write their
    /// effects before any transfer, so a settlement reached from their callbacks is sound. The balances and supply are
    /// trusted: only the vault may call.
    function beforeBalanceChange(
        address from,
        uint256 fromBalance,
        address to,
        uint256 toBalance,
        uint256 totalSupply
    ) external onlyVault {
        _sync(totalSupply, false, from, fromBalance, to == from ? address(0) : to, toBalance);
    }

    /// @inheritdoc IRewardsDistributor
    /// @dev Per token: the vault's asset and share are skipped; a routed token is deposited into its route first and
    /// the route's shares stream instead; then `balance - accounted` joins the stream. Nothing here reverts on a
    /// token's account (a full list, an oversized amount or a failing route only skip that token), so one bad
    /// token cannot block a harvest.
    function notifyRewards(address[] calldata tokens, uint256[] calldata) external nonReentrant onlyVault {
        // Every stream to now first: a notify rewrites the header relative to now.
        _sync(IERC20(VAULT).totalSupply(), true, address(0), 0, address(0), 0);
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
            _addToStream(token);
        }
    }

    // ================================================================== holders

    /// @inheritdoc IStreamingRewardsDistributor
    function claim(
        address[] calldata tokens,
        address receiver
    ) external nonReentrant returns (uint256[] memory amounts) {
        if (receiver == address(0)) revert ZeroAddress();
        // The streams advance together, so all advance and the caller is settled in every token.
        _sync(IERC20(VAULT).totalSupply(), false, msg.sender, IERC20(VAULT).balanceOf(msg.sender), address(0), 0);
        uint256[MAX_REWARD_TOKENS] storage holder = _holders[msg.sender];
        amounts = new uint256[](tokens.length);
        for (uint256 i; i < tokens.length; ++i) {
            address token = tokens[i];
            uint256 index = _indexOf[token];
            if (index == 0) revert NotRewardToken(token);
            uint256 state = holder[index - 1];
            uint256 amount = state >> 128;
            if (amount == 0) continue;
            holder[index - 1] = state & _LOW_MASK;
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
    function earned(address account, address token) external view returns (uint256) {
        uint256 index = _indexOf[token];
        if (index == 0) return 0;
        (uint256 rps, , ) = _preview(index - 1, IERC20(VAULT).totalSupply());
        uint256 state = _holders[account][index - 1];
        return (state >> 128) + _owed(IERC20(VAULT).balanceOf(account), rps, state & _LOW_MASK);
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

    /// @dev Advances every stream to now over `supply` shares, then settles `a` and `b` (each skipped when zero) at
    /// their balances in every token.
    function _sync(uint256 supply, bool force, address a, uint256 aBalance, address b, uint256 bBalance) internal {
        uint256 count = _advanceAll(supply, force);
        bool settleA = a != address(0);
        bool settleB = b != address(0);
        if (!settleA && !settleB) return;
        uint256[MAX_REWARD_TOKENS] storage stateA = _holders[a];
        uint256[MAX_REWARD_TOKENS] storage stateB = _holders[b];
        for (uint256 i; i < count; ++i) {
            uint256 rps = _pools[i] & _LOW_MASK;
            if (settleA) _settle(stateA, i, aBalance, rps);
            if (settleB) _settle(stateB, i, bBalance, rps);
        }
    }

    /// @dev Advances every stream to now over `supply` shares and returns the token count. A stream is written only
    /// if it moved, and the header only if a stream moved or `force`; when nothing moved (no stream, or less than one
    /// token unit per 1e27 shares streamed) the next advance covers the longer interval, and attributing that dust to
    /// the next supply is immaterial.
    function _advanceAll(uint256 supply, bool force) internal returns (uint256 count) {
        uint256 header = _header;
        count = header & _COUNT_MASK;
        if (count == 0) return 0;
        uint256 dt;
        // Unchecked: lastUpdate is a past block's timestamp.
        unchecked {
            dt = block.timestamp - _lastUpdate(header);
        }
        if (dt == 0) return count;
        // now fits 40 bits for some 30,000 years.
        uint256 newHeader = count | (block.timestamp << _LAST_UPDATE_SHIFT);
        bool moved = force;
        for (uint256 i; i < count; ++i) {
            uint256 timeLeft = _timeLeft(header, i);
            if (_advance(i, timeLeft, dt, supply)) moved = true;
            // Unchecked: the subtraction is guarded; the shift is below 48 + 8 * 24 bits.
            unchecked {
                timeLeft = timeLeft > dt ? timeLeft - dt : 0;
                newHeader |= timeLeft << (_TIME_LEFT_SHIFT + i * _TIME_LEFT_BITS);
            }
        }
        if (moved) _header = newHeader;
    }

    /// @dev Streams token `index` for `dt` > 0 of its `timeLeft` seconds over `supply` shares; returns whether the
    /// stream moved (and so was written).
    function _advance(uint256 index, uint256 timeLeft, uint256 dt, uint256 supply) internal returns (bool) {
        uint256 pool = _pools[index];
        if (pool >> 128 == 0) return false;
        (uint256 newPool, uint256 released) = _stream(pool, timeLeft, dt, supply);
        if (newPool == pool) return false;
        _pools[index] = newPool;
        if (released != 0) {
            address token = _tokens[index];
            _accounted[token] -= released;
            emit RewardsHeld(token, released);
        }
        return true;
    }

    /// @dev What `_sync` would do to stream `index` now: its accumulator, what would remain to stream, and what
    /// would be released from the books because the vault has no shares.
    function _preview(
        uint256 index,
        uint256 supply
    ) internal view returns (uint256 rps, uint256 remaining, uint256 released) {
        uint256 pool = _pools[index];
        uint256 header = _header;
        uint256 dt = block.timestamp - _lastUpdate(header);
        if (pool >> 128 != 0 && dt != 0) (pool, released) = _stream(pool, _timeLeft(header, index), dt, supply);
        // `_stream` moves nothing when nothing streams, as `_sync` keeps the old word then.
        return (pool & _LOW_MASK, pool >> 128, released);
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
        uint256 remaining = pool >> 128;
        // Unchecked: remaining < 2^128, times < 2^40 and PRECISION < 2^90, so every product is below 2^218 (and
        // growth * supply <= streamed * PRECISION); streamed <= remaining and distributed <= streamed (below), so
        // neither subtraction underflows; the accumulator plus growth is below 2^219.
        unchecked {
            // dt < timeLeft in the division, so the divisor is positive and streamed < remaining.
            uint256 streamed = dt >= timeLeft ? remaining : (remaining * dt) / timeLeft;
            // Below MIN_STREAM_SUPPLY shares (dust a holder cannot even redeem) the vault counts as empty: what
            // streams is held for the next period instead of driving the modular accumulator round.
            if (supply < MIN_STREAM_SUPPLY) return (((remaining - streamed) << 128) | (pool & _LOW_MASK), streamed);
            uint256 growth = (streamed * PRECISION) / supply;
            if (growth == 0) return (pool, 0);
            // What the growth pays out, rounded up: at most `streamed`, as growth * supply <= streamed * PRECISION.
            uint256 distributed = (growth * supply + (PRECISION - 1)) / PRECISION;
            // The accumulator is kept modulo 2^128 on purpose (see PACKING): the mask is the wrap.
            newPool = ((remaining - distributed) << 128) | (((pool & _LOW_MASK) + growth) & _LOW_MASK);
        }
    }

    /// @dev Credits the holder whose words are `states`, holding `balance` shares since its last settlement, up to
    /// accumulator `rps` in token `index`.
    function _settle(uint256[MAX_REWARD_TOKENS] storage states, uint256 index, uint256 balance, uint256 rps) internal {
        uint256 state = states[index];
        uint256 paid = state & _LOW_MASK;
        if (paid == rps) return;
        uint256 accrued = state >> 128;
        // Unchecked: accrued < 2^128 and what is owed is below 2^256 / PRECISION, so the sum cannot overflow.
        unchecked {
            if (balance != 0) accrued += _owed(balance, rps, paid);
        }
        // accrued <= the token's books <= 2^128 - 1 (see PACKING): the cast cannot fail.
        states[index] = (uint256(SafeCast.toUint128(accrued)) << 128) | rps;
    }

    /// @dev Tokens streamed to `balance` shares between accumulators `paid` and `rps` (both below 2^128), rounded
    /// down.
    function _owed(uint256 balance, uint256 rps, uint256 paid) internal pure returns (uint256) {
        uint256 growth;
        // Unchecked: rps and paid are below 2^128, so rps + 2^128 - paid is positive and below 2^129; the mask takes
        // the difference modulo 2^128 (see PACKING). With balance below 2^128 too, the product is below 2^256.
        unchecked {
            growth = (rps + (1 << 128) - paid) & _LOW_MASK;
            if (balance <= _LOW_MASK) return (balance * growth) / PRECISION;
        }
        // Balances beyond 3.4e38 share units take the full-width path.
        return Math.mulDiv(balance, growth, PRECISION);
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

    /// @dev Streams the unaccounted balance of `token`, listing the token on its first notify. Every stream has been
    /// advanced to now (`_sync` forced), so the header's `lastUpdate` is now or there is no stream yet.
    function _addToStream(address token) internal {
        uint256 accounted = _accounted[token];
        uint256 amount = IERC20(token).balanceOf(address(this)) - accounted;
        if (amount == 0) return;
        if (amount > type(uint128).max - accounted) {
            emit RewardsSkipped(token, amount, SkipReason.AmountTooLarge);
            return;
        }
        uint256 header = _header;
        uint256 index = _indexOf[token];
        if (index == 0) {
            if (isBlocked[token]) {
                emit RewardsSkipped(token, amount, SkipReason.Blocked);
                return;
            }
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
        uint256 remaining = pool >> 128;
        // The header's lastUpdate is now whenever a stream is running (see above), so timeLeft is from now.
        uint256 shift = _TIME_LEFT_SHIFT + i * _TIME_LEFT_BITS;
        uint256 timeLeft = (header >> shift) & _TIME_LEFT_MASK;
        // remaining <= accounted, so streaming <= accounted + amount <= 2^128 - 1 (checked above).
        uint256 streaming = remaining + amount;
        // Amount-weighted time left, at least one second since amount > 0 and the period is at least an hour; at
        // most max(timeLeft, rewardPeriod) <= MAX_REWARD_PERIOD < 2^24, so it fits its field.
        uint256 newTimeLeft = (remaining * timeLeft + amount * rewardPeriod) / streaming;
        header = (header & ~((_TIME_LEFT_MASK << shift) | (uint256(type(uint40).max) << _LAST_UPDATE_SHIFT)));
        _header = header | (newTimeLeft << shift) | (block.timestamp << _LAST_UPDATE_SHIFT);
        _pools[i] = (streaming << 128) | (pool & _LOW_MASK);
        _accounted[token] = accounted + amount;
        emit RewardsNotified(token, amount, streaming, block.timestamp + newTimeLeft);
    }

    function _checkPeriod(uint256 period) internal pure {
        if (period < MIN_REWARD_PERIOD || period > MAX_REWARD_PERIOD) {
            revert PeriodOutOfBounds(period, MIN_REWARD_PERIOD, MAX_REWARD_PERIOD);
        }
    }
}
