// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";

import {IAdapter, IAdapterTraits} from "../interfaces/IAdapter.sol";
import {IAsyncAdapter} from "../interfaces/IAsyncAdapter.sol";
import {IInKindAdapter} from "../interfaces/IInKindAdapter.sol";
import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IVaultCore} from "../interfaces/IVaultCore.sol";
import {IVaultErrors} from "../interfaces/IVaultErrors.sol";
import {IVaultEvents} from "../interfaces/IVaultEvents.sol";
import {ConstantsLib} from "../libraries/ConstantsLib.sol";
import {AdapterConfig, VaultStorageLib} from "./VaultStorage.sol";

/// @title RollupVault
/// @notice ERC-4626 vault (with EIP-2612 permit) that routes its asset through adapters into rollup protocols.
/// @dev TOTAL ASSETS. The vault keeps its own books: idle is what deposits brought and withdrawals took, and debt is
/// what each adapter held at its last report plus allocations since. Nothing reads balanceOf(this), so a donation
/// cannot move the share price; a decimals offset adds virtual shares on top. Every price (totalAssets, previews,
/// max*, deposits, exits, shutdown, deallocation) is taken at idle + debt - max(unrealisedLoss, lockedProfit): an
/// adapter whose real assets are visibly below its books (beyond rounding dust) counts at its real value, and a loss
/// burns locked profit first, exactly as a report would book it, so realising a visible loss never moves the price.
/// SHARE PRICE. Gains enter only through a keeper's report. After fees, they are locked and unlock linearly over
/// `profitUnlockTime` (a new gain averages its end with what is still locked), so a deposit made just before a report
/// earns nothing from it. A loss is realised at once and burns locked profit first.
/// EXITS. Deposits land idle; the allocator moves them in batches. Withdrawals take idle first, then the adapters
/// without a visible loss in queue order, then those with one, at their real value (the loss share of what is taken
/// is realised on the way, which leaves the price unchanged). Every adapter call on the way is gas-capped and
/// checked: an adapter that reverts, lies, returns junk or burns gas counts as nothing liquid and is skipped.
/// Shares are burned once the assets are gathered, so code running inside an adapter call reads a consistent price.
/// CONFIGURATION. Roles, timelock and setters live in VaultAdmin, which this contract delegatecalls for every selector
/// it lacks (see IRollupVault for the whole surface); both read one ERC-7201 storage namespace.
/// FEES. Performance and management fees are charged at a report, out of the booked gain only, as shares minted at
/// the pre-report price: fees never lower the share price. The performance fee applies above a high-water mark of gross
/// assets per share; the management fee accrues at every report whatever the adapter and what a gain cannot pay is
/// carried forward. A report books at most the gain allowance (`maxGainBps` per GAIN_WINDOW); the rest waits.
contract RollupVault is ERC4626, ERC20Permit, ReentrancyGuardTransient, IVaultCore, IVaultErrors, IVaultEvents {
    using SafeERC20 for IERC20;
    using Math for uint256;
    using VaultStorageLib for VaultStorageLib.Layout;

    /// @notice The module holding roles, timelock and configuration, delegatecalled for selectors the core lacks.
    address public immutable ADMIN;

    uint8 internal immutable _DECIMALS_OFFSET;

    /// @dev One reading of the adapters that may lose (the loss watch): the visible loss in total, and per watched
    /// adapter min(real assets, debt) + 1, or 0 if its `totalAssets` could not be read.
    struct Scan {
        uint256 loss;
        address[] watched;
        uint256[] values;
    }

    /// @notice Gas given to each adapter view (`totalAssets`, `releasable`) the vault calls: a view that burns its
    /// gas costs at most this, and counts as failed.
    uint256 public constant ADAPTER_VIEW_GAS = 300_000;
    /// @notice Gas given to an adapter's `deallocate` on the exit, shutdown and deallocation paths.
    uint256 public constant ADAPTER_DEALLOCATE_GAS = 3_000_000;

    /// @param asset_ The asset depositors bring (6 or 18 decimals, or anything up to 18).
    /// @param name_ The share token's name.
    /// @param symbol_ The share token's symbol.
    /// @param owner_ The first owner, who appoints the other roles.
    /// @param admin_ The VaultAdmin module.
    constructor(
        IERC20 asset_,
        string memory name_,
        string memory symbol_,
        address owner_,
        address admin_
    ) ERC20(name_, symbol_) ERC20Permit(name_) ERC4626(asset_) {
        if (owner_ == address(0) || admin_ == address(0)) revert ZeroAddress();
        if (admin_.code.length == 0) revert NoCode(admin_);
        ADMIN = admin_;
        uint8 assetDecimals = IERC20Metadata(address(asset_)).decimals();
        // Shares get 18 decimals whatever the asset's: 10^(18 - d) virtual shares per virtual asset.
        _DECIMALS_OFFSET = assetDecimals < 18 ? 18 - assetDecimals : 0;
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.owner = owner_;
        st.depositLimit = type(uint128).max;
        st.maxGainBps = 1_000;
        st.profitUnlockTime = 7 days;
        st.lastFeeAccrual = uint64(block.timestamp);
        emit OwnerSet(owner_);
    }

    /// @notice Forwards every selector the core lacks (roles, timelock, configuration) to the admin module.
    // solhint-disable-next-line no-complex-fallback
    fallback() external {
        address admin = ADMIN;
        assembly ("memory-safe") {
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), admin, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            if iszero(ok) {
                revert(0, returndatasize())
            }
            return(0, returndatasize())
        }
    }

    // ================================================================== ERC-4626 views

    /// @inheritdoc ERC4626
    function decimals() public view override(ERC20, ERC4626) returns (uint8) {
        return super.decimals();
    }

    /// @notice idle + debt - max(unrealisedLoss, lockedProfit): the vault's books, never its token balance, with every
    /// visible loss priced in. See `unrealizedLoss`.
    function totalAssets() public view override returns (uint256) {
        return _totalAssets(_scanLoss());
    }

    /// @notice Zero while paused or shut down; otherwise the room left under the deposit limit (zero if that room
    /// would mint no share, since `deposit` refuses a deposit that mints none).
    function maxDeposit(address) public view override returns (uint256) {
        if (_s().paused || _s().isShutdown) return 0;
        if (_s().depositLimit == type(uint128).max) return type(uint256).max;
        return _maxDepositAt(totalAssets());
    }

    /// @notice The shares `maxDeposit` would mint.
    function maxMint(address receiver) public view override returns (uint256) {
        uint256 maxAssets = maxDeposit(receiver);
        if (maxAssets == type(uint256).max) return type(uint256).max;
        return _convertToShares(maxAssets, Math.Rounding.Floor);
    }

    /// @notice What `owner` can withdraw now: their assets, bounded by idle plus what adapters release now, less the
    /// liquidity reserved for the redemption queue (the queue itself may use it). Never an amount `withdraw` refuses:
    /// `withdraw(maxWithdraw(owner))` pays it in full.
    function maxWithdraw(address owner_) public view override returns (uint256) {
        Scan memory sc = _scan();
        uint256 ta = _totalAssets(sc.loss);
        return _liquidFor(owner_, _toAssets(balanceOf(owner_), ta, Math.Rounding.Floor), ta, sc);
    }

    /// @notice What `owner` can redeem now: their shares, bounded like `maxWithdraw`; zero when those shares are worth
    /// no asset (`redeem` refuses a redemption worth nothing).
    function maxRedeem(address owner_) public view override returns (uint256 shares) {
        Scan memory sc = _scan();
        uint256 ta = _totalAssets(sc.loss);
        shares = balanceOf(owner_);
        uint256 owned = _toAssets(shares, ta, Math.Rounding.Floor);
        uint256 liquid = _liquidFor(owner_, owned, ta, sc);
        if (liquid < owned) shares = _toShares(liquid, ta, Math.Rounding.Floor);
        if (_toAssets(shares, ta, Math.Rounding.Floor) == 0) return 0;
    }

    /// @inheritdoc IVaultCore
    function totalIdle() external view returns (uint256) {
        return _s().idle;
    }

    /// @inheritdoc IVaultCore
    function totalDebt() external view returns (uint256) {
        return _s().debt;
    }

    /// @inheritdoc IVaultCore
    function lockedProfit() public view returns (uint256) {
        uint256 end = _s().unlockEnd;
        if (block.timestamp >= end) return 0;
        // Rounded up: the books count a gain only once it has fully unlocked.
        return uint256(_s().locked).mulDiv(end - block.timestamp, end - _s().lockUpdatedAt, Math.Rounding.Ceil);
    }

    /// @inheritdoc IVaultCore
    function unlockEnd() external view returns (uint256) {
        return _s().unlockEnd;
    }

    /// @inheritdoc IVaultCore
    function liquidAssets() external view returns (uint256) {
        Scan memory sc = _scan();
        return _liquidFor(address(0), type(uint128).max, _totalAssets(sc.loss), sc);
    }

    /// @inheritdoc IVaultCore
    function unrealizedLoss() external view returns (uint256) {
        return _scanLoss();
    }

    // ================================================================== ERC-4626 entry points

    /// @notice Deposits `assets` and mints shares to `receiver`; the assets stay idle until allocated.
    /// @dev Reverts with `Paused` / `IsShutdown`, `ZeroAmount` for 0 assets, `ZeroShares` when `assets` buys no
    /// share, `ERC4626ExceededMaxDeposit` above the deposit limit, and `TransferAmountMismatch` when the asset
    /// delivers other than `assets` (fee-on-transfer tokens are refused).
    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256 shares) {
        _checkOpen();
        uint256 ta = totalAssets();
        if (_s().depositLimit != type(uint128).max) {
            uint256 maxAssets = _maxDepositAt(ta);
            if (assets > maxAssets) revert ERC4626ExceededMaxDeposit(receiver, assets, maxAssets);
        }
        shares = _toShares(assets, ta, Math.Rounding.Floor);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @notice Mints exactly `shares` to `receiver` for the assets `previewMint` quotes.
    /// @dev Reverts like `deposit`, and with `ERC4626ExceededMaxMint` above the deposit limit.
    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256 assets) {
        _checkOpen();
        uint256 ta = totalAssets();
        if (_s().depositLimit != type(uint128).max) {
            uint256 maxShares = _toShares(_maxDepositAt(ta), ta, Math.Rounding.Floor);
            if (shares > maxShares) revert ERC4626ExceededMaxMint(receiver, shares, maxShares);
        }
        assets = _toAssets(shares, ta, Math.Rounding.Ceil);
        _deposit(_msgSender(), receiver, assets, shares);
    }

    /// @notice Burns the shares worth `assets` at the current price (visible losses included) and pays `assets`.
    /// @dev Reverts with `ZeroAmount` for 0 assets, `ZeroAddress` for a zero receiver, `ERC20InsufficientAllowance` /
    /// `ERC20InsufficientBalance` for shares the caller may not burn, and `InsufficientLiquidity` when idle and the
    /// adapters cannot release `assets` now (never for `maxWithdraw(owner)` or less).
    function withdraw(uint256 assets, address receiver, address owner_) public override nonReentrant returns (uint256) {
        Scan memory sc = _scan();
        uint256 shares = _toShares(assets, _totalAssets(sc.loss), Math.Rounding.Ceil);
        _exit(assets, shares, receiver, owner_, sc);
        return shares;
    }

    /// @notice Burns `shares` and pays their worth at the current price (visible losses included).
    /// @dev Reverts with `ZeroShares` for 0 shares, `ZeroAmount` when they are worth no asset, and otherwise like
    /// `withdraw` (never for `maxRedeem(owner)` or less).
    function redeem(uint256 shares, address receiver, address owner_) public override nonReentrant returns (uint256) {
        Scan memory sc = _scan();
        uint256 assets = _toAssets(shares, _totalAssets(sc.loss), Math.Rounding.Floor);
        _exit(assets, shares, receiver, owner_, sc);
        return assets;
    }

    /// @inheritdoc IVaultCore
    function withdrawWithMaxLoss(
        uint256 assets,
        address receiver,
        address owner_,
        uint256 maxLossBps
    ) external nonReentrant returns (uint256 shares) {
        if (maxLossBps > ConstantsLib.BPS) revert AboveMax(maxLossBps, ConstantsLib.BPS);
        Scan memory sc = _scan();
        shares = _toShares(assets, _totalAssets(sc.loss), Math.Rounding.Ceil);
        _checkLoss(_toAssets(shares, _bookAssets(), Math.Rounding.Floor), assets, maxLossBps, owner_);
        _exit(assets, shares, receiver, owner_, sc);
    }

    /// @inheritdoc IVaultCore
    function redeemWithMaxLoss(
        uint256 shares,
        address receiver,
        address owner_,
        uint256 maxLossBps
    ) external nonReentrant returns (uint256 assets) {
        if (maxLossBps > ConstantsLib.BPS) revert AboveMax(maxLossBps, ConstantsLib.BPS);
        Scan memory sc = _scan();
        assets = _toAssets(shares, _totalAssets(sc.loss), Math.Rounding.Floor);
        _checkLoss(_toAssets(shares, _bookAssets(), Math.Rounding.Floor), assets, maxLossBps, owner_);
        _exit(assets, shares, receiver, owner_, sc);
    }

    // ================================================================== exit in kind

    /// @inheritdoc IVaultCore
    function redeemInKind(
        address adapter,
        uint256 shares,
        address receiver,
        address owner_,
        uint256 minOut
    ) external nonReentrant returns (uint256 out) {
        if (shares == 0) revert ZeroShares();
        if (receiver == address(0)) revert ZeroAddress();
        Scan memory sc = _scan();
        uint256 ta = _totalAssets(sc.loss);
        uint256 assets = _toAssets(shares, ta, Math.Rounding.Floor);
        // The penalty is rounded up and stays in the vault: what leaves is rounded down.
        out = assets - assets.mulDiv(_s().inKindPenalty, ConstantsLib.BPS, Math.Rounding.Ceil);
        if (msg.sender != owner_) _spendAllowance(owner_, msg.sender, shares);
        _takeInKind(adapter, out, minOut, receiver, _reserveFloor(owner_, ta, sc));
        // Burned after the adapter call, as in `_exit`: the burn settles the owner's reward stream.
        _burn(owner_, shares);
        emit InKindExit(msg.sender, receiver, owner_, adapter, shares, assets, assets - out, out);
    }

    // ================================================================== allocation

    /// @inheritdoc IVaultCore
    function allocate(address adapter, uint256 assets) external nonReentrant {
        _s().requireAllocator();
        _checkOpen();
        if (assets == 0) revert ZeroAmount();
        AdapterConfig storage config = _s().requireEnabled(adapter);
        uint256 idle = _s().idle;
        if (assets > idle) revert InsufficientIdle(assets, idle);
        if (idle - assets < _s().minIdle) revert MinIdleBreached(idle - assets, _s().minIdle);
        uint256 newDebt = config.debt + assets;
        if (newDebt > config.absoluteCap) revert CapExceeded(adapter, newDebt, config.absoluteCap);
        // Relative to the gross books (idle + debt, locked profit included): the share of the vault's real money
        // the adapter may hold, so that a 100% cap can actually be reached.
        uint256 relativeCap = (idle + _s().debt).mulDiv(config.relativeCapBps, ConstantsLib.BPS);
        if (newDebt > relativeCap) revert CapExceeded(adapter, newDebt, relativeCap);

        // newDebt <= absoluteCap <= type(uint128).max, and _s().debt >= config.debt, so the casts cannot truncate.
        config.debt = uint128(newDebt);
        _s().idle = uint128(idle - assets);
        _s().debt += uint128(assets);
        emit Allocated(adapter, assets);

        IERC20(asset()).safeTransfer(adapter, assets);
        IAdapter(adapter).allocate(assets);
    }

    /// @inheritdoc IVaultCore
    function deallocate(address adapter, uint256 assets) external nonReentrant returns (uint256) {
        _s().requireAllocator();
        if (assets == 0) revert ZeroAmount();
        AdapterConfig storage config = _s().requireEnabled(adapter);
        if (assets > config.debt) revert AboveDebt(adapter, assets, config.debt);
        (bool ok, uint256 value) = _valueOf(adapter, config.debt, _scan());
        // An adapter whose totalAssets cannot be read is taken at its books: the allocator chose to pull it.
        return _deallocate(adapter, config, assets, ok ? value : config.debt);
    }

    // ================================================================== reports and harvests

    /// @inheritdoc IVaultCore
    function report(address adapter) external nonReentrant returns (uint256 gain, uint256 loss) {
        // The redemption queue reports only for anyone once its liveness delay has passed (RedemptionQueue checks it).
        if (!_s().isKeeperOrOwner(msg.sender) && msg.sender != _s().redemptionQueue) revert Unauthorized(msg.sender);
        AdapterConfig storage config = _s().requireEnabled(adapter);
        uint256 real = IAdapter(adapter).totalAssets();
        uint256 debt = config.debt;
        // Other adapters' visible losses are booked first (which leaves the price unchanged), so that a gain is
        // locked rather than filling their hole at once: a deposit just before the report must not earn it.
        if (real > debt) _realizeVisibleLosses(adapter);
        uint256 assetsBefore = totalAssets();
        // Every report accrues the management fee, whichever adapter it is for: the fee owed is order-independent.
        _s().accrueManagementFee(assetsBefore);
        uint256 performanceFeeAssets;
        uint256 managementFeeAssets;
        uint256 feeShares;

        if (real > debt) {
            gain = _allowGain(real - debt, assetsBefore);
            (performanceFeeAssets, managementFeeAssets) = _fees(gain);
            uint256 feeAssets = performanceFeeAssets + managementFeeAssets;
            // Priced before the gain is booked, so the fee shares are worth exactly the fees and no more.
            feeShares = _convertToShares(feeAssets, Math.Rounding.Floor);
            _lockProfit(gain - feeAssets);
            // gain <= maxGainBps of totalAssets <= totalAssets, and the books are uint128: the sums fit. A gain above
            // the allowance is not booked: it stays between the adapter's books and its real assets, for later.
            config.debt = uint128(debt + gain);
            _s().debt += uint128(gain);
            _raiseHighWaterMark(feeShares);
        } else if (real < debt) {
            loss = debt - real;
            _bookLoss(config, loss);
        }
        emit Reported(adapter, real, gain, loss, performanceFeeAssets, managementFeeAssets, feeShares);
        if (feeShares != 0) _mint(_s().feeRecipient, feeShares);
    }

    /// @inheritdoc IVaultCore
    function realizeLoss(address adapter) external nonReentrant returns (uint256 loss) {
        AdapterConfig storage config = _s().requireEnabled(adapter);
        uint256 debt = config.debt;
        (bool ok, uint256 real) = _callView(adapter, IAdapter.totalAssets.selector);
        // An adapter that declared it cannot lose is never priced by its totalAssets: only a report books its loss.
        if (!ok || !_isVisibleLoss(real, debt) || !_isWatched(adapter)) revert NoVisibleLoss(adapter);
        loss = debt - real;
        _bookLoss(config, loss);
        emit LossRealized(adapter, msg.sender, real, loss);
    }

    /// @inheritdoc IVaultCore
    function harvest(
        address adapter
    ) external nonReentrant returns (address[] memory tokens, uint256[] memory amounts) {
        _s().requireEnabled(adapter);
        if (!_s().isKeeperOrOwner(msg.sender)) {
            uint256 interval = _s().harvestInterval;
            // A zero interval keeps harvesting to keepers: nobody else is ever let in.
            if (interval == 0) revert Unauthorized(msg.sender);
            uint256 openAt = _s().lastHarvest[adapter] + interval;
            if (block.timestamp < openAt) revert HarvestTooSoon(openAt);
        }
        address distributor = _s().rewardsDistributor;
        _s().lastHarvest[adapter] = block.timestamp;
        // Without a distributor (a vault whose rewards are its own asset, say) the harvest still claims: asset
        // rewards stay in the adapter for the next report, and any other token lands here, for `skim`.
        (tokens, amounts) = IAdapter(adapter).harvest(distributor == address(0) ? address(this) : distributor);
        emit Harvested(adapter, msg.sender, tokens, amounts);
        if (distributor != address(0)) IRewardsDistributor(distributor).notifyRewards(tokens, amounts);
    }

    /// @inheritdoc IVaultCore
    function prepareRelease(address adapter, uint256 assets) external nonReentrant {
        if (msg.sender != _s().redemptionQueue) {
            if (!_s().isAllocator[msg.sender] && !_s().isKeeperOrOwner(msg.sender)) revert Unauthorized(msg.sender);
            // An operator acted: the queue's liveness clock restarts.
            _s().lastKeeperAction = uint64(block.timestamp);
        }
        if (assets == 0) revert ZeroAmount();
        _s().requireEnabled(adapter);
        emit ReleasePrepared(adapter, msg.sender, assets);
        _reserveForQueue(assets);
        IAsyncAdapter(adapter).prepareRelease(assets);
    }

    // ================================================================== emergency and housekeeping

    /// @inheritdoc IVaultCore
    function shutdown() external nonReentrant {
        _s().requireGuardian();
        if (_s().isShutdown) revert IsShutdown();
        _s().isShutdown = true;
        emit Shutdown(msg.sender);
        Scan memory sc = _scan();
        uint256 length = _s().queue.length;
        for (uint256 i; i < length; ++i) {
            address adapter = _s().queue[i];
            AdapterConfig storage config = _s().adapters[adapter];
            uint256 debt = config.debt;
            if (debt == 0) continue;
            (bool okValue, uint256 value) = _valueOf(adapter, debt, sc);
            (bool ok, uint256 liquid) = _callView(adapter, IAdapter.releasable.selector);
            if (!okValue || !ok || liquid == 0) continue;
            // A failing adapter is skipped (see _pullFrom), never blocks the shutdown of the others; an adapter
            // with a visible loss is booked pro rata (see _take), so what reaches idle is priced at its real value.
            _deallocate(adapter, config, Math.min(liquid, debt), value);
        }
    }

    // ================================================================== internal: ERC-4626 plumbing

    function _s() internal pure returns (VaultStorageLib.Layout storage) {
        return VaultStorageLib.layout();
    }

    function _decimalsOffset() internal view override returns (uint8) {
        return _DECIMALS_OFFSET;
    }

    /// @dev OpenZeppelin's conversions, at the vault's priced total assets.
    function _convertToShares(uint256 assets, Math.Rounding rounding) internal view override returns (uint256) {
        return _toShares(assets, totalAssets(), rounding);
    }

    function _convertToAssets(uint256 shares, Math.Rounding rounding) internal view override returns (uint256) {
        return _toAssets(shares, totalAssets(), rounding);
    }

    function _toShares(uint256 assets, uint256 ta, Math.Rounding rounding) internal view returns (uint256) {
        return assets.mulDiv(totalSupply() + 10 ** _DECIMALS_OFFSET, ta + 1, rounding);
    }

    function _toAssets(uint256 shares, uint256 ta, Math.Rounding rounding) internal view returns (uint256) {
        return shares.mulDiv(ta + 1, totalSupply() + 10 ** _DECIMALS_OFFSET, rounding);
    }

    /// @dev The room under a finite deposit limit at total assets `ta`, or zero if it would mint no share.
    function _maxDepositAt(uint256 ta) internal view returns (uint256 room) {
        uint256 limit = _s().depositLimit;
        room = limit > ta ? limit - ta : 0;
        if (room != 0 && _toShares(room, ta, Math.Rounding.Floor) == 0) return 0;
    }

    /// @dev Deposits land idle. Zero-asset and zero-share deposits are refused, and so is a deposit after which the
    /// vault's balance would not back its idle books: an asset that delivers less than asked (fee-on-transfer) or
    /// whose balances shrink (negative rebase) is refused rather than left insolvent. One balance read, after the
    /// transfer: the balance is at least idle before it (nothing else lowers it), so it must still be after. The assets
    /// come from `sender` (the caller), or from the owner `depositMinFrom` named in the transient payer slot (see PAYER_SLOT).
    function _deposit(address sender, address receiver, uint256 assets, uint256 shares) internal override {
        if (assets == 0) revert ZeroAmount();
        if (shares == 0) revert ZeroShares();
        // Inside VaultAdmin.depositMinFrom the payer is the owner it checked the caller may act for, not the caller.
        // The slot is set only there, for the one guarded `deposit` it runs: no other deposit can see it set.
        bytes32 payerSlot = VaultStorageLib.PAYER_SLOT;
        assembly ("memory-safe") {
            let payer := tload(payerSlot)
            if payer {
                sender := payer
            }
        }
        super._deposit(sender, receiver, assets, shares);
        // A plain uint128(...) cast would truncate silently; SafeCast reverts if idle would pass type(uint128).max.
        uint256 idle = SafeCast.toUint128(uint256(_s().idle) + assets);
        uint256 balance = _balanceOfThis(asset());
        if (balance < idle) revert IdleUnbacked(balance, idle);
        _s().idle = uint128(idle);
    }

    /// @dev The vault's balance of `token` (the asset, a contract that returns a word, checked at construction).
    function _balanceOfThis(address token) internal view returns (uint256 amount) {
        assembly ("memory-safe") {
            mstore(0, 0x70a08231) // balanceOf(address)
            mstore(32, address())
            if iszero(staticcall(gas(), token, 28, 36, 0, 32)) {
                returndatacopy(0, 0, returndatasize())
                revert(0, returndatasize())
            }
            if lt(returndatasize(), 32) {
                revert(0, 0)
            }
            amount := mload(0)
        }
    }

    /// @dev Settles the rewards distributor before any share balance changes.
    function _update(address from, address to, uint256 value) internal override {
        address distributor = _s().rewardsDistributor;
        if (distributor != address(0)) {
            IRewardsDistributor(distributor).beforeBalanceChange(
                from,
                from == address(0) ? 0 : balanceOf(from),
                to,
                to == address(0) ? 0 : balanceOf(to),
                totalSupply()
            );
        }
        super._update(from, to, value);
    }

    function _checkOpen() internal view {
        if (_s().isShutdown) revert IsShutdown();
        if (_s().paused) revert Paused();
    }

    // ================================================================== internal: pricing

    /// @dev idle + debt - lockedProfit: the books as if every adapter were worth its debt.
    function _bookAssets() internal view returns (uint256) {
        return uint256(_s().idle) + _s().debt - lockedProfit();
    }

    /// @dev idle + debt - max(loss, locked). A loss burns locked profit first when booked (see _bookLoss), so this
    /// is the total the books will show once `loss` is realised: realising it never moves the price. loss <= debt
    /// and locked <= idle + debt, so nothing underflows.
    function _totalAssets(uint256 loss) internal view returns (uint256) {
        return uint256(_s().idle) + _s().debt - Math.max(loss, lockedProfit());
    }

    /// @dev Reads every watched adapter once. The visible loss is the sum of (debt - real assets) where that gap is
    /// beyond dust. Adapters that declared they cannot lose are not in the watch and are never called; an adapter
    /// whose view fails counts at its debt for the price (a failure is not a visible loss) and as nothing liquid on
    /// exits. Nothing allocated, nothing to read: a vault without debt skips the watch entirely.
    function _scan() internal view returns (Scan memory sc) {
        if (_s().debt == 0) return sc;
        uint256 length = _s().watchCount();
        sc.watched = new address[](length);
        sc.values = new uint256[](length);
        for (uint256 i; i < length; ++i) {
            address adapter = _s().watchAt(i);
            sc.watched[i] = adapter;
            uint256 debt = _s().adapters[adapter].debt;
            if (debt == 0) {
                sc.values[i] = 1;
                continue;
            }
            (bool ok, uint256 real) = _callView(adapter, IAdapter.totalAssets.selector);
            if (!ok) continue;
            // Saturating: an adapter claiming more than its debt is worth its debt here (gains wait for a report).
            real = Math.min(real, debt);
            sc.values[i] = real + 1;
            // real < debt here, so the subtraction cannot underflow.
            if (_isVisibleLoss(real, debt)) sc.loss += debt - real;
        }
    }

    /// @dev _scan's loss alone, without recording the values (the deposit path).
    function _scanLoss() internal view returns (uint256 loss) {
        if (_s().debt == 0) return 0;
        uint256 length = _s().watchCount();
        for (uint256 i; i < length; ++i) {
            address adapter = _s().watchAt(i);
            uint256 debt = _s().adapters[adapter].debt;
            if (debt == 0) continue;
            (bool ok, uint256 real) = _callView(adapter, IAdapter.totalAssets.selector);
            if (ok && _isVisibleLoss(real, debt)) loss += debt - real;
        }
    }

    /// @dev `adapter`'s value from a scan: its real assets when visibly below `debt`, else `debt` (also for an
    /// adapter outside the watch). ok is false if its totalAssets could not be read.
    function _valueOf(address adapter, uint256 debt, Scan memory sc) internal pure returns (bool ok, uint256 value) {
        uint256 length = sc.watched.length;
        for (uint256 j; j < length; ++j) {
            if (sc.watched[j] != adapter) continue;
            uint256 v = sc.values[j];
            if (v == 0) return (false, 0);
            return (true, _isVisibleLoss(v - 1, debt) ? v - 1 : debt);
        }
        return (true, debt);
    }

    function _isWatched(address adapter) internal view returns (bool) {
        uint256 length = _s().watchCount();
        for (uint256 i; i < length; ++i) if (_s().watchAt(i) == adapter) return true;
        return false;
    }

    /// @dev Whether an adapter's real assets are below its books by more than rounding dust. Targets round their
    /// share conversions down, so an adapter can sit a few wei under its books with no market loss at all; a gap of
    /// at most LOSS_DUST_DIVISOR-th of the debt (plus one wei) is dust, left for the next report. Saturating: a huge
    /// `real` is simply not a loss.
    function _isVisibleLoss(uint256 real, uint256 debt) internal pure returns (bool) {
        return real < debt && debt - real > debt / ConstantsLib.LOSS_DUST_DIVISOR + 1;
    }

    /// @dev Books every visible loss but `skip`'s. Price-neutral (see _totalAssets).
    function _realizeVisibleLosses(address skip) internal {
        uint256 length = _s().watchCount();
        for (uint256 i; i < length; ++i) {
            address adapter = _s().watchAt(i);
            AdapterConfig storage config = _s().adapters[adapter];
            uint256 debt = config.debt;
            if (adapter == skip || debt == 0) continue;
            (bool ok, uint256 real) = _callView(adapter, IAdapter.totalAssets.selector);
            if (!ok || !_isVisibleLoss(real, debt)) continue;
            _bookLoss(config, debt - real);
            emit LossRealized(adapter, msg.sender, real, debt - real);
        }
    }

    // ================================================================== internal: liquidity reserved for the queue

    /// @dev Liquidity held back from `owner_`: the queue reserve, never above what the queue's escrow is worth at
    /// total assets `ta`; nothing for the queue itself.
    function _reserved(address owner_, uint256 ta) internal view returns (uint256) {
        uint256 reserve = _s().queueReserve;
        address queue = _s().redemptionQueue;
        if (reserve == 0 || owner_ == queue) return 0;
        return Math.min(reserve, _toAssets(balanceOf(queue), ta, Math.Rounding.Floor));
    }

    /// @dev What `owner_` can take now of `wanted` assets: idle plus what the adapters release now (read in `sc`), less
    /// the reserve. Counts the adapters only when idle beyond the reserve does not cover `wanted`. `wanted` is at most
    /// type(uint128).max and the reserve a uint96, so the sum cannot overflow.
    function _liquidFor(address owner_, uint256 wanted, uint256 ta, Scan memory sc) internal view returns (uint256) {
        uint256 reserved = _reserved(owner_, ta);
        uint256 idle = _s().idle;
        if (wanted + reserved <= idle) return wanted;
        uint256 liquid = idle + _liquidInAdapters(sc);
        return liquid > reserved ? Math.min(wanted, liquid - reserved) : 0;
    }

    /// @dev On every exit: a direct exit may not take reserved liquidity; the queue's own redemptions consume it.
    function _useReserve(address owner_, uint256 assets, Scan memory sc) internal {
        uint256 reserve = _s().queueReserve;
        if (reserve == 0) return;
        if (owner_ == _s().redemptionQueue) {
            // Lowered by what the queue takes; uint96 cast: the result is below `reserve`.
            reserve = reserve > assets ? reserve - assets : 0;
            _s().queueReserve = uint96(reserve);
            emit QueueReserveSet(reserve);
        } else {
            uint256 ta = _totalAssets(sc.loss);
            // Cancelled requests leave the stored reserve above their worth: drop the excess, so that it cannot come
            // back for later requests no release was prepared for. uint96 cast: reserved <= reserve.
            uint256 reserved = _reserved(owner_, ta);
            if (reserved < reserve) {
                _s().queueReserve = uint96(reserved);
                emit QueueReserveSet(reserved);
            }
            uint256 free = _liquidFor(owner_, assets, ta, sc);
            if (free < assets) revert InsufficientLiquidity(assets - free);
        }
    }

    /// @dev `prepareRelease` while redemption requests wait reserves what it frees for them, up to their worth.
    function _reserveForQueue(uint256 assets) internal {
        address queue = _s().redemptionQueue;
        if (queue == address(0)) return;
        uint256 demand = _convertToAssets(balanceOf(queue), Math.Rounding.Floor);
        // What is still reserved for waiting requests (never above their worth), plus this release, up to their worth.
        uint256 reserve = Math.min(Math.min(Math.min(_s().queueReserve, demand) + assets, demand), type(uint96).max);
        if (reserve == _s().queueReserve) return;
        _s().queueReserve = uint96(reserve);
        emit QueueReserveSet(reserve);
    }

    // ================================================================== internal: exits

    /// @dev A max-loss exit: the book value of the shares (as if every adapter were worth its debt) less what is paid
    /// is the caller's share of the unrealised losses priced in; it must stay within `maxLossBps` of that value.
    function _checkLoss(uint256 bookValue, uint256 paid, uint256 maxLossBps, address owner_) internal {
        uint256 loss = bookValue > paid ? bookValue - paid : 0;
        uint256 maxLoss = bookValue.mulDiv(maxLossBps, ConstantsLib.BPS);
        if (loss > maxLoss) revert MaxLossExceeded(loss, maxLoss);
        if (loss != 0) emit WithdrawLoss(owner_, address(0), loss);
    }

    /// @dev Gathers `assets` (idle first, then the withdraw queue), then burns `shares` of `owner_` and pays the
    /// receiver. The books stay whole while adapters are called (each pull moves debt to idle at the current price),
    /// and the shares are burned only after, so that code running inside an adapter call reads a consistent price.
    function _exit(uint256 assets, uint256 shares, address receiver, address owner_, Scan memory sc) internal {
        if (assets == 0) revert ZeroAmount();
        if (shares == 0) revert ZeroShares();
        if (receiver == address(0)) revert ZeroAddress();
        if (msg.sender != owner_) _spendAllowance(owner_, msg.sender, shares);
        uint256 balance = balanceOf(owner_);
        if (balance < shares) revert ERC20InsufficientBalance(owner_, balance, shares);
        _useReserve(owner_, assets, sc);

        uint256 idle = _s().idle;
        if (assets > idle) idle += _gather(assets - idle, sc);
        // _gather returns exactly what it booked into idle, and reverts unless that covers assets.
        _s().idle = uint128(idle - assets);
        _burn(owner_, shares);
        emit Withdraw(msg.sender, receiver, owner_, assets, shares);
        IERC20(asset()).safeTransfer(receiver, assets);
    }

    /// @dev Brings `needed` assets into idle from the withdraw queue: first every adapter without a visible loss, in
    /// queue order, then those with one (at their real value). Returns what came in (>= needed); reverts if the queue
    /// cannot cover it. Idle is updated by the caller.
    function _gather(uint256 needed, Scan memory sc) internal returns (uint256 gathered) {
        uint256 length = _s().queue.length;
        uint256 lossy; // bit i: queue[i] carries a visible loss, for the second pass
        for (uint256 i; i < length && gathered < needed; ++i) {
            (uint256 received, bool isLossy) = _gatherFrom(_s().queue[i], needed - gathered, false, sc);
            gathered += received;
            if (isLossy) lossy |= 1 << i;
        }
        for (uint256 i; lossy != 0 && i < length && gathered < needed; ++i) {
            if (lossy & (1 << i) == 0) continue;
            (uint256 received, ) = _gatherFrom(_s().queue[i], needed - gathered, true, sc);
            gathered += received;
        }
        if (gathered < needed) revert InsufficientLiquidity(needed - gathered);
    }

    /// @dev Takes up to `want` from `adapter` at its value as the price counted it (no other pull changes it: one
    /// adapter per liquidity source). An adapter with a visible loss is only marked unless `takeLossy`.
    function _gatherFrom(
        address adapter,
        uint256 want,
        bool takeLossy,
        Scan memory sc
    ) internal returns (uint256 received, bool isLossy) {
        AdapterConfig storage config = _s().adapters[adapter];
        uint256 debt = config.debt;
        if (debt == 0) return (0, false);
        (bool okValue, uint256 value) = _valueOf(adapter, debt, sc);
        if (!okValue) return (0, false);
        if (value < debt && !takeLossy) return (0, true);
        (bool ok, uint256 liquid) = _callView(adapter, IAdapter.releasable.selector);
        if (!ok) return (0, false);
        uint256 ask = Math.min(want, Math.min(value, liquid));
        if (ask != 0) received = _take(adapter, config, ask, value, debt);
    }

    /// @dev Deallocates up to `assets` from `adapter` into idle (allocator and shutdown paths), priced like exits.
    function _deallocate(
        address adapter,
        AdapterConfig storage config,
        uint256 assets,
        uint256 value
    ) internal returns (uint256 received) {
        received = _take(adapter, config, assets, value, config.debt);
        _s().idle += uint128(received);
        emit Deallocated(adapter, assets, received);
    }

    /// @dev Pulls up to `ask` from `adapter` and books it: the debt falls by the book slice of what arrived
    /// (`received * debt / real`, rounded up, at most the debt) and the slice's loss (slice - received) is booked
    /// like a report would, which leaves the price unchanged. With real == debt the slice is what arrived. The
    /// caller adds `received` to idle. received <= ask <= debt <= type(uint128).max.
    function _take(
        address adapter,
        AdapterConfig storage config,
        uint256 ask,
        uint256 real,
        uint256 debt
    ) internal returns (uint256 received) {
        received = _pullFrom(adapter, Math.min(ask, debt));
        if (received == 0) return 0;
        uint256 slice = received;
        if (real < debt) {
            slice = received >= real ? debt : Math.min(received.mulDiv(debt, real, Math.Rounding.Ceil), debt);
            uint256 loss = slice - received;
            if (loss != 0) {
                _burnLockedProfit(loss);
                emit LossRealized(adapter, msg.sender, real, loss);
            }
        }
        // slice <= debt = config.debt <= _s().debt.
        config.debt = uint128(debt - slice);
        _s().debt -= uint128(slice);
    }

    /// @dev Asks `adapter` for `assets` (gas-capped, return data ignored) and returns what arrived, measured by
    /// balance change and never more than asked: an adapter that sends extra cannot raise the share price outside a
    /// report, and one that reverts or burns its gas gives 0 instead of blocking the caller.
    function _pullFrom(address adapter, uint256 assets) internal returns (uint256 received) {
        if (assets == 0) return 0;
        IERC20 token = IERC20(asset());
        uint256 before = token.balanceOf(address(this));
        bytes memory data = abi.encodeCall(IAdapter.deallocate, (assets));
        uint256 gasCap = ADAPTER_DEALLOCATE_GAS;
        bool ok;
        assembly ("memory-safe") {
            ok := call(gasCap, adapter, 0, add(data, 32), mload(data), 0, 0)
        }
        if (!ok) {
            _checkGasLeft(adapter, gasCap);
            return 0;
        }
        uint256 afterBalance = token.balanceOf(address(this));
        received = afterBalance > before ? Math.min(afterBalance - before, assets) : 0;
    }

    /// @dev Hands `out` of `adapter`'s in-kind token to `receiver` and books it. Before anything moves: the adapter
    /// must implement IInKindAdapter, back its books (real assets >= debt: a losing position is not handed out at book
    /// value) and hold `out` both in its books and in its in-kind token. The books fall after the call, as a pull's
    /// do, so that a price read inside it is the pre-exit one. After it the adapter must still back its books (one
    /// that handed out more would leave a hole no price sees), and the liquid assets must still cover `floor`.
    function _takeInKind(address adapter, uint256 out, uint256 minOut, address receiver, uint256 floor) internal {
        AdapterConfig storage config = _s().requireEnabled(adapter);
        (bool ok, uint256 available) = _callView(adapter, IInKindAdapter.inKindAvailable.selector);
        if (!ok) revert InKindUnsupported(adapter);
        uint256 debt = config.debt;
        uint256 real;
        (ok, real) = _callView(adapter, IAdapter.totalAssets.selector);
        if (!ok || real < debt) revert InKindLoss(adapter, real, debt);
        if (out == 0) revert ZeroAmount();
        available = Math.min(available, debt);
        if (out > available) revert InKindAboveAvailable(adapter, out, available);
        if (out < minOut) revert InKindBelowMin(out, minOut);
        IInKindAdapter(adapter).releaseInKind(out, receiver);
        // out <= debt = config.debt <= _s().debt: the casts narrow values stored as uint128, nothing underflows.
        debt -= out;
        config.debt = uint128(debt);
        _s().debt -= uint128(out);
        (ok, real) = _callView(adapter, IAdapter.totalAssets.selector);
        if (!ok || real < debt) revert InKindLoss(adapter, real, debt);
        if (floor != 0) {
            uint256 liquid = _s().idle + _liquidInAdapters(_scan());
            if (liquid < floor) revert InsufficientLiquidity(floor - liquid);
        }
    }

    /// @dev What liquid assets (idle + what adapters release now) must remain after an in-kind exit by `owner_`: the
    /// part of the queue reserve they cover now, so that the exit takes none of it. Zero when idle alone covers the
    /// reserve, since an in-kind exit never touches idle.
    function _reserveFloor(address owner_, uint256 ta, Scan memory sc) internal view returns (uint256) {
        uint256 reserved = _reserved(owner_, ta);
        uint256 idle = _s().idle;
        if (reserved <= idle) return 0;
        return Math.min(reserved, idle + _liquidInAdapters(sc));
    }

    // ================================================================== internal: adapter views

    /// @dev What the withdraw queue can release now: per adapter, what it releases, at most its value (its debt, or
    /// its real assets when visibly lower), as _gather takes it. Adapters whose views fail count as nothing. Adapters
    /// over one liquidity source (IAdapterTraits.liquiditySource) share its liquidity: the group counts as its
    /// largest member, which the queue walk can always pay (it takes min(sum of positions, source liquidity)).
    function _liquidInAdapters(Scan memory sc) internal view returns (uint256 liquid) {
        uint256 length = _s().queue.length;
        address[] memory sources = new address[](length);
        uint256[] memory amounts = new uint256[](length);
        for (uint256 i; i < length; ++i) {
            address adapter = _s().queue[i];
            uint256 debt = _s().adapters[adapter].debt;
            if (debt == 0) continue;
            (bool okValue, uint256 value) = _valueOf(adapter, debt, sc);
            if (!okValue) continue;
            (bool ok, uint256 releasable) = _callView(adapter, IAdapter.releasable.selector);
            if (!ok) continue;
            uint256 amount = Math.min(value, releasable);
            (bool okSource, uint256 source) = _callView(adapter, IAdapterTraits.liquiditySource.selector);
            if (!okSource || source == 0 || source > type(uint160).max) {
                liquid += amount;
                continue;
            }
            for (uint256 j; j < length; ++j) {
                if (sources[j] == address(0)) {
                    (sources[j], amounts[j]) = (address(uint160(source)), amount);
                    break;
                }
                if (sources[j] == address(uint160(source))) {
                    if (amount > amounts[j]) amounts[j] = amount;
                    break;
                }
            }
        }
        for (uint256 j; j < length; ++j) liquid += amounts[j];
    }

    /// @dev Calls the no-argument uint256 view `selector` on `adapter` with at most ADAPTER_VIEW_GAS and without
    /// copying more than one word back. A revert, a missing contract, return data shorter than a word, or gas
    /// exhaustion all give (false, 0): one faulty adapter never bricks a vault view or an exit.
    function _callView(address adapter, bytes4 selector) internal view returns (bool ok, uint256 value) {
        uint256 gasCap = ADAPTER_VIEW_GAS;
        assembly ("memory-safe") {
            mstore(0, selector)
            ok := staticcall(gasCap, adapter, 0, 4, 0, 32)
            ok := and(ok, gt(returndatasize(), 31))
            value := mul(mload(0), ok)
        }
        if (!ok) _checkGasLeft(adapter, gasCap);
    }

    /// @dev After a failed adapter call: if so little gas is left that the call may have failed for want of the gas
    /// the caller gave (not its own fault), revert instead of treating the adapter as failed, so a caller cannot
    /// starve a view on purpose to get a loss ignored. With the cap met, at least cap / 63 is left after the call.
    function _checkGasLeft(address adapter, uint256 gasCap) internal view {
        if (gasleft() < gasCap / 63) revert AdapterCallStarved(adapter);
    }

    // ================================================================== internal: profit lock

    /// @dev Adds `gain` to the locked profit. The new end is the amount-weighted average of what is still locked
    /// (ending when it already would) and the new gain (ending a full unlock time from now).
    function _lockProfit(uint256 gain) internal {
        uint256 unlockTime = _s().profitUnlockTime;
        uint256 stillLocked = lockedProfit();
        uint256 remaining = _s().unlockEnd > block.timestamp ? _s().unlockEnd - block.timestamp : 0;
        if (unlockTime == 0 || gain == 0) {
            // Nothing new to lock: restart the current lock from now so that it keeps its rate.
            _s().locked = uint128(stillLocked);
            _s().lockUpdatedAt = uint64(block.timestamp);
            return;
        }
        uint256 newLocked = stillLocked + gain;
        uint256 end = block.timestamp + (stillLocked * remaining + gain * unlockTime) / newLocked;
        _s().locked = uint128(newLocked);
        _s().lockUpdatedAt = uint64(block.timestamp);
        _s().unlockEnd = uint64(end);
    }

    /// @dev Books `loss` (at most the adapter's debt) off an adapter. It burns the locked profit first; only the rest
    /// reaches the share price. The high-water mark stays: recovering the loss is not charged a performance fee.
    function _bookLoss(AdapterConfig storage config, uint256 loss) internal {
        _burnLockedProfit(loss);
        // loss <= config.debt <= _s().debt: no underflow, and the casts only narrow values already stored as uint128.
        config.debt -= uint128(loss);
        _s().debt -= uint128(loss);
    }

    /// @dev A loss burns locked profit first (the part of it not yet in the price).
    function _burnLockedProfit(uint256 loss) internal {
        uint256 stillLocked = lockedProfit();
        _s().locked = uint128(stillLocked > loss ? stillLocked - loss : 0);
        _s().lockUpdatedAt = uint64(block.timestamp);
    }

    // ================================================================== internal: gains and fees

    /// @dev The part of `gain` the gain allowance admits: `maxGainBps` of `assets` per GAIN_WINDOW, a bucket that
    /// drains linearly, so that many reports in a short time cannot book more than one window's worth (issue 8.7).
    function _allowGain(uint256 gain, uint256 assets) internal returns (uint256 booked) {
        uint256 cap = assets.mulDiv(_s().maxGainBps, ConstantsLib.BPS);
        uint256 drained = cap.mulDiv(block.timestamp - _s().gainUsedAt, ConstantsLib.GAIN_WINDOW);
        uint256 used = _s().gainUsed > drained ? _s().gainUsed - drained : 0;
        booked = cap > used ? Math.min(gain, cap - used) : 0;
        // used + booked <= cap <= totalAssets, a uint128 quantity.
        _s().gainUsed = uint128(used + booked);
        _s().gainUsedAt = uint64(block.timestamp);
    }

    /// @dev Fees on a booked `gain`, both rounded down (the depositors keep the dust). The performance fee applies to
    /// the part of the gain that lifts gross assets per share above the high-water mark; the management fee owed is
    /// paid out of what is left and the rest of it carried forward.
    function _fees(uint256 gain) internal returns (uint256 performanceFeeAssets, uint256 managementFeeAssets) {
        uint256 gross = uint256(_s().idle) + _s().debt;
        // Gross assets at the high-water mark for today's supply (rounded up: favours the depositors).
        uint256 mark = _s().highWaterMark.mulDiv(_virtualSupply(0), ConstantsLib.PRICE_SCALE, Math.Rounding.Ceil);
        uint256 above = gross + gain > mark ? Math.min(gain, gross + gain - mark) : 0;
        performanceFeeAssets = above.mulDiv(_s().performanceFee, ConstantsLib.BPS);
        uint256 owed = _s().managementFeeOwed;
        managementFeeAssets = Math.min(owed, gain - performanceFeeAssets);
        // managementFeeAssets <= owed, a uint128.
        _s().managementFeeOwed = uint128(owed - managementFeeAssets);
    }

    /// @dev Raises the high-water mark to the gross assets per share after a gain, `feeShares` about to be minted.
    function _raiseHighWaterMark(uint256 feeShares) internal {
        uint256 price = (uint256(_s().idle) + _s().debt).mulDiv(
            ConstantsLib.PRICE_SCALE,
            _virtualSupply(feeShares),
            Math.Rounding.Ceil
        );
        if (price > _s().highWaterMark) _s().highWaterMark = price;
    }

    /// @dev Share supply plus `extra` plus the virtual shares of the decimals offset (never zero).
    function _virtualSupply(uint256 extra) internal view returns (uint256) {
        return totalSupply() + extra + 10 ** _DECIMALS_OFFSET;
    }
}
