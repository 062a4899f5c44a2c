// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAdapter} from "../interfaces/IAdapter.sol";
import {IAsyncAdapter} from "../interfaces/IAsyncAdapter.sol";
import {IInKindAdapter} from "../interfaces/IInKindAdapter.sol";
import {IERC7540Operator, IERC7540Redeem, IRedemptionQueue} from "../interfaces/IRedemptionQueue.sol";
import {IStreamingRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IRollupVault} from "../interfaces/IRollupVault.sol";
import {ConstantsLib} from "../libraries/ConstantsLib.sol";

/// @title RedemptionQueue
/// @notice ERC-7540 asynchronous redemptions for one RollupVault, whose own token is the share (ERC-7575 style),
/// settled by windows and rationed pro rata when liquidity is short.
/// @dev ESCROW. A request moves the owner's shares into this contract; they stay vault shares (the share price
/// still moves for them) until they are filled, when this contract redeems them from the vault for itself.
/// WINDOWS. `openShares` are the shares requested in window `openWindow`. The first call after that window has
/// closed (`_roll`) moves them into the settlement pool (`pooledShares`) and records the pool's accumulators at that
/// moment (`_closedAt`), which is where the window's requesters enter the pool.
/// PRO RATA IN O(1). Every settlement fills the same fraction f = filled / pooled of every pooled share. The pool
/// keeps P, the product of the unfilled fractions (1 - f) since the start of the current era, and per (era, scale)
/// a running sum of assets paid per unit of P-weighted share (Liquity's stability-pool scheme). A controller whose
/// `pooled` shares were snapshotted at (P0, S0) has pooled * P / P0 left unfilled and earned pooled * (S - S0) / P0.
/// P starts at 1e36; when it would fall below 1e18 it is multiplied by 1e18 and the scale goes up (the sum of the
/// next scale is read divided by 1e18; past one scale the unfilled rest is below 1e-18 of the snapshot and counted
/// as zero, in the queue's favour). A settlement that fills the whole pool starts a new era (P back to 1e36).
/// BOOKS. pooledShares + openShares = the escrow (shares of every pending request, plus rounding dust no controller
/// owns, which later settlements redeem); claimableAssets = assets of filled shares not yet claimed (at least the sum
/// of what controllers can claim, rounded down). Anything above either is stray and can be skimmed.
contract RedemptionQueue is IRedemptionQueue, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @notice Where the pool's accumulators stood: P, the running sum of its era and scale, the era and the scale.
    struct Snapshot {
        uint256 p;
        uint256 sum;
        uint128 era;
        uint128 scale;
    }

    /// @notice One controller's aggregated request, as of its last sync.
    struct Position {
        uint256 pooled;
        Snapshot snap;
        uint256 open;
        uint256 window;
        uint256 claimableShares;
        uint256 claimableAssets;
    }

    /// @inheritdoc IRedemptionQueue
    uint256 public constant WINDOW = 1 days;
    /// @dev P at the start of an era, the floor below which it is rescaled, the rescale factor, and the extra
    /// precision of the running sums.
    uint256 internal constant P_START = 1e36;
    uint256 internal constant P_MIN = 1e18;
    uint256 internal constant SCALE = 1e18;
    uint256 internal constant SUM_PRECISION = 1e18;

    /// @notice The vault whose shares this queue takes and redeems.
    IRollupVault public immutable VAULT;
    /// @notice The vault's asset.
    IERC20 public immutable ASSET;
    /// @notice Start of window 0 (the deployment).
    uint256 public immutable START;

    /// @inheritdoc IRedemptionQueue
    uint256 public pooledShares;
    /// @inheritdoc IRedemptionQueue
    uint256 public openShares;
    /// @inheritdoc IRedemptionQueue
    uint256 public openWindow;
    /// @inheritdoc IRedemptionQueue
    uint256 public claimableAssets;
    /// @inheritdoc IRedemptionQueue
    uint256 public waitingSince;

    uint256 internal _p = P_START;
    uint128 internal _era;
    uint128 internal _scale;
    mapping(uint256 era => mapping(uint256 scale => uint256 sum)) internal _sums;
    mapping(uint256 window => Snapshot) internal _closedAt;
    mapping(address controller => Position) internal _positions;

    /// @inheritdoc IERC7540Operator
    mapping(address controller => mapping(address operator => bool approved)) public isOperator;

    /// @param vault_ The RollupVault to serve; its asset is read from it.
    constructor(address vault_) {
        if (vault_ == address(0)) revert ZeroAddress();
        VAULT = IRollupVault(vault_);
        ASSET = IERC20(IRollupVault(vault_).asset());
        START = block.timestamp;
    }

    // ================================================================== ERC-165 and binding

    /// @notice ERC-7540 redemption (0x620ee8e4), ERC-7540 operators (0xe3bc4e65) and ERC-165 itself.
    /// @dev Not ERC-7575's vault id (0x2f0a18c5): that id covers the deposit side too, which lives at the vault.
    function supportsInterface(bytes4 interfaceId) external pure returns (bool) {
        return
            interfaceId == type(IERC7540Redeem).interfaceId ||
            interfaceId == type(IERC7540Operator).interfaceId ||
            interfaceId == type(IERC165).interfaceId;
    }

    /// @inheritdoc IRedemptionQueue
    function vault() external view returns (address) {
        return address(VAULT);
    }

    /// @inheritdoc IRedemptionQueue
    function share() external view returns (address) {
        return address(VAULT);
    }

    /// @inheritdoc IRedemptionQueue
    function asset() external view returns (address) {
        return address(ASSET);
    }

    // ================================================================== operators

    /// @inheritdoc IERC7540Operator
    function setOperator(address operator, bool approved) external returns (bool) {
        isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    // ================================================================== requests

    /// @inheritdoc IERC7540Redeem
    function requestRedeem(uint256 shares, address controller, address owner) external nonReentrant returns (uint256) {
        if (shares == 0) revert ZeroAmount();
        if (controller == address(0)) revert ZeroAddress();
        _requireSelfOrOperator(owner);
        // A request worth nothing could never be redeemed from the vault.
        if (VAULT.previewRedeem(shares) == 0) revert RequestTooSmall(shares);

        _roll();
        Position storage position = _sync(controller);
        // After the sync, the position's open shares (if any) belong to the open window.
        position.open += shares;
        position.window = openWindow;
        openShares += shares;
        if (waitingSince == 0) waitingSince = block.timestamp;
        emit RedeemRequest(controller, owner, 0, msg.sender, shares);

        IERC20(address(VAULT)).safeTransferFrom(owner, address(this), shares);
        // Idle present now goes to the requests waiting (this one included), not to the next direct withdrawal.
        VAULT.reserveIdleForQueue();
        return 0;
    }

    /// @inheritdoc IRedemptionQueue
    function cancelRedeemRequest(uint256 shares, address controller) external nonReentrant {
        if (shares == 0) revert ZeroAmount();
        _requireSelfOrOperator(controller);
        _roll();
        Position storage position = _sync(controller);
        uint256 open = position.open;
        uint256 pending = position.pooled + open;
        if (shares > pending) revert ExceedsPending(controller, shares, pending);
        // Newest first: the open window's shares, then pooled ones (at the current snapshot, so the rest keeps its
        // weight in the pool).
        uint256 fromOpen = Math.min(shares, open);
        position.open = open - fromOpen;
        openShares -= fromOpen;
        // fromPool <= position.pooled <= pooledShares: the pool's total is at least the sum of its positions.
        uint256 fromPool = shares - fromOpen;
        position.pooled -= fromPool;
        pooledShares -= fromPool;
        if (pendingShares() == 0) waitingSince = 0;
        emit RedeemRequestCancelled(controller, msg.sender, shares);
        // No call to the vault: it caps the reserve at what the remaining escrow is worth wherever it reads it, and
        // drops the excess at the next direct exit, so the cancelled part is free to direct withdrawals at once.
        IERC20(address(VAULT)).safeTransfer(controller, shares);
    }

    // ================================================================== settlement

    /// @inheritdoc IRedemptionQueue
    function currentWindow() public view returns (uint256) {
        return (block.timestamp - START) / WINDOW;
    }

    /// @inheritdoc IRedemptionQueue
    function windowClosesAt() external view returns (uint256) {
        return START + (currentWindow() + 1) * WINDOW;
    }

    /// @inheritdoc IRedemptionQueue
    function settle() external nonReentrant returns (uint256 shares, uint256 assets) {
        _roll();
        uint256 pool = pooledShares;
        uint256 payable_ = Math.min(pool, VAULT.maxRedeem(address(this)));
        // Shares worth less than one asset wei at the vault's price cannot be redeemed: nothing is payable.
        if (payable_ == 0 || VAULT.previewRedeem(payable_) == 0) revert NothingToSettle(pool, 0);
        bool ok;
        (ok, assets) = _redeemFromVault(payable_);
        shares = payable_;
        if (!ok) {
            // The vault's estimate of what adapters release was optimistic: fall back on what idle alone pays.
            shares = Math.min(payable_, VAULT.convertToShares(VAULT.totalIdle()));
            if (VAULT.previewRedeem(shares) != 0) (ok, assets) = _redeemFromVault(shares);
            if (!ok) revert SettlementFailed(payable_);
        }
        _fill(pool, shares, assets);
    }

    // ================================================================== liveness

    /// @inheritdoc IRedemptionQueue
    function livenessOpensAt() public view returns (uint256) {
        if (pendingShares() == 0) return type(uint256).max;
        return Math.max(waitingSince, VAULT.lastKeeperAction()) + VAULT.livenessDelay();
    }

    /// @inheritdoc IRedemptionQueue
    function livenessReport(address adapter) external nonReentrant returns (uint256 gain, uint256 loss) {
        _requireLive();
        emit LivenessAction(msg.sender, adapter, 0, 0);
        return VAULT.report(adapter);
    }

    /// @inheritdoc IRedemptionQueue
    function livenessRelease(address adapter) external nonReentrant returns (uint256 assets) {
        _requireLive();
        uint256 demand = VAULT.convertToAssets(pendingShares());
        uint256 reserved = VAULT.queueReserve();
        if (demand <= reserved) revert NothingToRelease();
        assets = demand - reserved;
        emit LivenessAction(msg.sender, adapter, 1, assets);
        VAULT.prepareRelease(adapter, assets);
    }

    // ================================================================== claims

    /// @inheritdoc IRedemptionQueue
    function redeem(uint256 shares, address receiver, address controller) external nonReentrant returns (uint256) {
        if (shares == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        _requireSelfOrOperator(controller);
        Position storage position = _sync(controller);
        uint256 claimableShares = position.claimableShares;
        if (shares > claimableShares) revert ExceedsClaimable(controller, shares, claimableShares);
        // At the controller's average fill price, rounded down; the whole rest takes the rounding leftovers.
        uint256 assets =
            shares == claimableShares
                ? position.claimableAssets
                : Math.mulDiv(shares, position.claimableAssets, claimableShares);
        if (assets == 0) revert ZeroAssets();
        _payOut(position, receiver, controller, assets, shares);
        return assets;
    }

    /// @inheritdoc IRedemptionQueue
    function withdraw(uint256 assets, address receiver, address controller) external nonReentrant returns (uint256) {
        if (assets == 0) revert ZeroAmount();
        if (receiver == address(0)) revert ZeroAddress();
        _requireSelfOrOperator(controller);
        Position storage position = _sync(controller);
        uint256 claimable = position.claimableAssets;
        if (assets > claimable) revert ExceedsClaimable(controller, assets, claimable);
        // Rounded up; assets <= claimable, so shares <= claimableShares.
        uint256 shares =
            assets == claimable
                ? position.claimableShares
                : Math.mulDiv(assets, position.claimableShares, claimable, Math.Rounding.Ceil);
        _payOut(position, receiver, controller, assets, shares);
        return shares;
    }

    /// @inheritdoc IRedemptionQueue
    function maxRedeem(address controller) external view returns (uint256) {
        return _view(controller).claimableShares;
    }

    /// @inheritdoc IRedemptionQueue
    function maxWithdraw(address controller) external view returns (uint256) {
        return _view(controller).claimableAssets;
    }

    /// @inheritdoc IRedemptionQueue
    function previewRedeem(uint256) external pure returns (uint256) {
        revert AsyncRedeemOnly();
    }

    /// @inheritdoc IRedemptionQueue
    function previewWithdraw(uint256) external pure returns (uint256) {
        revert AsyncRedeemOnly();
    }

    // ================================================================== ERC-7540 views

    /// @inheritdoc IERC7540Redeem
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        if (requestId != 0) return 0;
        Position memory position = _view(controller);
        return position.pooled + position.open;
    }

    /// @inheritdoc IERC7540Redeem
    function claimableRedeemRequest(uint256 requestId, address controller) external view returns (uint256) {
        if (requestId != 0) return 0;
        return _view(controller).claimableShares;
    }

    // ================================================================== liquidity views

    /// @inheritdoc IRedemptionQueue
    function liquidNow() external view returns (uint256) {
        return VAULT.liquidAssets();
    }

    /// @inheritdoc IRedemptionQueue
    function pendingShares() public view returns (uint256) {
        return pooledShares + openShares;
    }

    /// @inheritdoc IRedemptionQueue
    function pendingAssets() external view returns (uint256) {
        return VAULT.convertToAssets(pendingShares());
    }

    /// @inheritdoc IRedemptionQueue
    function fulfillableShares() external view returns (uint256) {
        uint256 pool = currentWindow() == openWindow ? pooledShares : pendingShares();
        return Math.min(VAULT.maxRedeem(address(this)), pool);
    }

    /// @inheritdoc IRedemptionQueue
    function controllerTotals(
        address controller
    ) external view returns (uint256 pending, uint256 claimableShares, uint256 claimableAssets_) {
        Position memory position = _view(controller);
        return (position.pooled + position.open, position.claimableShares, position.claimableAssets);
    }

    /// @inheritdoc IRedemptionQueue
    function releaseSchedule() external view returns (Release[] memory releases) {
        address[] memory adapters = VAULT.withdrawQueue();
        uint256 length = Math.min(adapters.length, ConstantsLib.MAX_ADAPTERS);
        Release[] memory found = new Release[](length);
        uint256 count;
        for (uint256 i; i < length; ++i) {
            try IAsyncAdapter(adapters[i]).pendingRelease() returns (uint256 assets, uint256 readyAt) {
                if (assets != 0) found[count++] = Release(adapters[i], assets, readyAt);
            } catch {}
        }
        releases = new Release[](count);
        for (uint256 i; i < count; ++i) releases[i] = found[i];
    }

    /// @inheritdoc IRedemptionQueue
    function exitOptions(uint32[] calldata dstEids) external view returns (ExitOption[] memory options) {
        address[] memory adapters = VAULT.withdrawQueue();
        uint256 length = Math.min(adapters.length, ConstantsLib.MAX_ADAPTERS);
        options = new ExitOption[](length);
        for (uint256 i; i < length; ++i) {
            ExitOption memory option = options[i];
            address adapter = adapters[i];
            option.adapter = adapter;
            (, uint256 debt, , ) = VAULT.adapterConfig(adapter);
            try IAdapter(adapter).releasable() returns (uint256 releasable) {
                option.liquid = Math.min(releasable, debt);
            } catch {}
            // The vault's own view: zero unless the adapter can hand its position out at book value now.
            option.inKind = VAULT.inKindAvailable(adapter);
            if (option.inKind == 0) continue;
            try IInKindAdapter(adapter).inKindToken() returns (address token) {
                option.inKindToken = token;
            } catch {}
            option.bridgeable = new uint256[](dstEids.length);
            for (uint256 j; j < dstEids.length; ++j) {
                try IInKindAdapter(adapter).inKindBridgeable(dstEids[j]) returns (uint256 amount) {
                    option.bridgeable[j] = amount;
                } catch {}
            }
        }
    }

    // ================================================================== housekeeping

    /// @inheritdoc IRedemptionQueue
    function skim(address token) external nonReentrant {
        address to = VAULT.skimRecipient();
        if (to == address(0)) revert NoSkimRecipient();
        uint256 owed;
        if (token == address(VAULT)) owed = pendingShares();
        else if (token == address(ASSET)) owed = claimableAssets;
        uint256 balance = IERC20(token).balanceOf(address(this));
        if (balance <= owed) revert ZeroAmount();
        // balance > owed, checked just above.
        uint256 amount = balance - owed;
        emit Skimmed(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    /// @inheritdoc IRedemptionQueue
    function claimRewards(address[] calldata tokens) external nonReentrant returns (uint256[] memory amounts) {
        address distributor = VAULT.rewardsDistributor();
        if (distributor == address(0)) revert NoRewardsDistributor();
        address to = VAULT.skimRecipient();
        if (to == address(0)) revert NoSkimRecipient();
        // The distributor pays `to` directly; this contract keeps no books for reward tokens.
        amounts = IStreamingRewardsDistributor(distributor).claim(tokens, to);
        emit RewardsClaimed(distributor, to, tokens, amounts);
    }

    // ================================================================== internal: windows and the pool

    /// @dev Moves the shares of a closed window into the pool, recording where the pool stood when they entered.
    function _roll() internal {
        uint256 window = currentWindow();
        uint256 open = openWindow;
        if (window == open) return;
        uint256 shares = openShares;
        if (shares != 0) {
            _closedAt[open] = _snapshot();
            pooledShares += shares;
            openShares = 0;
            emit WindowClosed(open, shares);
        }
        openWindow = window;
    }

    /// @dev Books a settlement: `filled` of `pool` shares were redeemed for `assets`.
    function _fill(uint256 pool, uint256 filled, uint256 assets) internal {
        uint256 p = _p;
        uint128 era = _era;
        uint128 scale = _scale;
        // Assets per unit of P-weighted share: a position's weight is its shares / its snapshot P.
        _sums[era][scale] += Math.mulDiv(assets, p * SUM_PRECISION, pool);
        if (filled == pool) {
            // Everyone pooled is filled whole: a new era starts from a fresh P.
            _era = era + 1;
            _scale = 0;
            _p = P_START;
        } else {
            // filled < pool, so left >= 1. Rescale until P is back above P_MIN; p * factor stays below about
            // P_MIN * SCALE * pool / left, far below 2^256 for any share supply a vault can have.
            uint256 left = pool - filled;
            uint256 factor = 1;
            uint256 next = Math.mulDiv(p, left, pool);
            while (next < P_MIN) {
                factor *= SCALE;
                ++scale;
                next = Math.mulDiv(p * factor, left, pool);
            }
            _p = next;
            _scale = scale;
        }
        pooledShares = pool - filled;
        claimableAssets += assets;
        if (pendingShares() == 0) waitingSince = 0;
        emit Settled(msg.sender, pool, filled, assets);
    }

    function _snapshot() internal view returns (Snapshot memory) {
        return Snapshot(_p, _sums[_era][_scale], _era, _scale);
    }

    /// @dev What became of `shares` pooled at `snap`: how many are still unfilled, and the assets paid for the rest.
    /// Both round down.
    function _progress(uint256 shares, Snapshot memory snap) internal view returns (uint256 left, uint256 earned) {
        if (snap.era == _era) {
            uint256 scales = _scale - snap.scale;
            // Within an era P only falls (and is multiplied by SCALE at each rescale), so left <= shares.
            if (scales == 0) left = Math.mulDiv(shares, _p, snap.p);
            else if (scales == 1) left = Math.mulDiv(shares, _p, snap.p * SCALE);
        }
        uint256 weight = snap.p * SUM_PRECISION;
        earned =
            Math.mulDiv(shares, _sums[snap.era][snap.scale] - snap.sum, weight) +
            Math.mulDiv(shares, _sums[snap.era][snap.scale + 1], weight * SCALE);
    }

    /// @dev `controller`'s position brought up to date (memory only): fills since its snapshot become claimable,
    /// and its open shares, if their window was rolled into the pool, become pooled; the snapshot is now.
    function _view(address controller) internal view returns (Position memory position) {
        position = _positions[controller];
        uint256 pooled;
        if (position.pooled != 0) {
            (uint256 left, uint256 earned) = _progress(position.pooled, position.snap);
            position.claimableShares += position.pooled - left;
            position.claimableAssets += earned;
            pooled = left;
        }
        // A window other than the open one was rolled into the pool (a roll records `_closedAt` whenever the window
        // had shares, and a position's open shares are part of them).
        if (position.open != 0 && position.window != openWindow) {
            (uint256 left, uint256 earned) = _progress(position.open, _closedAt[position.window]);
            position.claimableShares += position.open - left;
            position.claimableAssets += earned;
            pooled += left;
            position.open = 0;
        }
        position.pooled = pooled;
        position.snap = _snapshot();
    }

    /// @dev Writes `controller`'s up-to-date position and returns it.
    function _sync(address controller) internal returns (Position storage position) {
        position = _positions[controller];
        Position memory current = _view(controller);
        position.pooled = current.pooled;
        position.snap = current.snap;
        position.open = current.open;
        position.claimableShares = current.claimableShares;
        position.claimableAssets = current.claimableAssets;
    }

    // ================================================================== internal

    function _requireSelfOrOperator(address account) internal view {
        if (msg.sender != account && !isOperator[account][msg.sender]) {
            revert NotOwnerOrOperator(msg.sender, account);
        }
    }

    function _requireLive() internal view {
        uint256 opensAt = livenessOpensAt();
        if (block.timestamp < opensAt) revert LivenessNotOpen(opensAt);
    }

    /// @dev Redeems `shares` of the escrow from the vault; a revert is reported, not bubbled, so that `settle` can
    /// fall back on idle. The assets are measured by this contract's balance change.
    function _redeemFromVault(uint256 shares) internal returns (bool ok, uint256 received) {
        uint256 before = ASSET.balanceOf(address(this));
        try VAULT.redeem(shares, address(this), address(this)) returns (uint256) {
            return (true, ASSET.balanceOf(address(this)) - before);
        } catch {
            return (false, 0);
        }
    }

    /// @dev Updates the claim books and pays `assets` to `receiver`.
    function _payOut(
        Position storage position,
        address receiver,
        address controller,
        uint256 assets,
        uint256 shares
    ) internal {
        position.claimableShares -= shares;
        position.claimableAssets -= assets;
        // The pool's total is at least the sum of what controllers can claim (both round down per controller).
        claimableAssets -= assets;
        emit Withdraw(msg.sender, receiver, controller, assets, shares);
        ASSET.safeTransfer(receiver, assets);
    }
}
