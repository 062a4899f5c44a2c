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

import {IAdapter} from "../interfaces/IAdapter.sol";
import {IAsyncAdapter} from "../interfaces/IAsyncAdapter.sol";
import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IVaultCore} from "../interfaces/IVaultCore.sol";
import {IVaultErrors} from "../interfaces/IVaultErrors.sol";
import {IVaultEvents} from "../interfaces/IVaultEvents.sol";
import {ConstantsLib} from "../libraries/ConstantsLib.sol";
import {AdapterConfig, VaultStorageLib} from "./VaultStorage.sol";

/// @title RollupVault
/// @notice ERC-4626 vault (with EIP-2612 permit) that routes its asset through adapters into rollup protocols.
/// @dev TOTAL ASSETS. The vault keeps its own books: totalAssets = idle + debt - lockedProfit, where idle is what
/// deposits brought and withdrawals took, and debt is what each adapter held at its last report plus allocations
/// since. Nothing reads balanceOf(this), so a donation cannot move the share price; a decimals offset adds virtual
/// shares on top.
/// SHARE PRICE. Gains enter only through a keeper's report. After fees, they are locked and unlock linearly over
/// `profitUnlockTime` (a new gain averages its end with what is still locked), so a deposit made just before a report
/// earns nothing from it. A loss is realised at once and burns locked profit first.
/// EXITS. Deposits land idle; the allocator moves them in batches. Withdrawals take idle first, then walk the
/// withdraw queue. An adapter whose real assets are below its books carries an unrealised loss: plain `withdraw` and
/// `redeem` skip it (so they never pay less than they preview), `withdrawWithMaxLoss` takes from it at its real
/// value, the withdrawer bearing the loss share of what they took, so those who stay are not diluted.
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

    /// @notice idle + debt - lockedProfit: the vault's books, never its token balance.
    function totalAssets() public view override returns (uint256) {
        return uint256(_s().idle) + _s().debt - lockedProfit();
    }

    /// @notice Zero while _s().paused or shut down; otherwise the room left under the deposit limit.
    function maxDeposit(address) public view override returns (uint256) {
        if (_s().paused || _s().isShutdown) return 0;
        uint256 limit = _s().depositLimit;
        if (limit == type(uint128).max) return type(uint256).max;
        uint256 assets = totalAssets();
        return limit > assets ? limit - assets : 0;
    }

    /// @notice The shares `maxDeposit` would mint.
    function maxMint(address receiver) public view override returns (uint256) {
        uint256 maxAssets = maxDeposit(receiver);
        if (maxAssets == type(uint256).max) return type(uint256).max;
        return _convertToShares(maxAssets, Math.Rounding.Floor);
    }

    /// @notice What `owner` can withdraw now: their assets, bounded by idle plus what adapters release now, less
    /// the liquidity reserved for the redemption queue (the queue itself may use it).
    function maxWithdraw(address owner_) public view override returns (uint256) {
        return _liquidFor(owner_, _convertToAssets(balanceOf(owner_), Math.Rounding.Floor));
    }

    /// @notice What `owner` can redeem now: their shares, bounded like `maxWithdraw`.
    function maxRedeem(address owner_) public view override returns (uint256) {
        uint256 shares = balanceOf(owner_);
        uint256 owned = _convertToAssets(shares, Math.Rounding.Floor);
        uint256 liquid = _liquidFor(owner_, owned);
        if (liquid == owned) return shares;
        return _convertToShares(liquid, Math.Rounding.Floor);
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
        return _liquidFor(address(0), type(uint128).max);
    }

    // ================================================================== ERC-4626 entry points

    /// @notice Deposits `assets` and mints shares to `receiver`; the assets stay idle until allocated.
    function deposit(uint256 assets, address receiver) public override nonReentrant returns (uint256) {
        _checkOpen();
        return super.deposit(assets, receiver);
    }

    /// @notice Mints exactly `shares` to `receiver` for the assets `previewMint` quotes.
    function mint(uint256 shares, address receiver) public override nonReentrant returns (uint256) {
        _checkOpen();
        return super.mint(shares, receiver);
    }

    /// @notice Burns the shares worth `assets` and pays `assets`; never touches an adapter carrying a loss.
    function withdraw(uint256 assets, address receiver, address owner_) public override nonReentrant returns (uint256) {
        uint256 shares = previewWithdraw(assets);
        _exit(assets, shares, receiver, owner_, 0);
        return shares;
    }

    /// @notice Burns `shares` and pays their worth; never touches an adapter carrying a loss.
    function redeem(uint256 shares, address receiver, address owner_) public override nonReentrant returns (uint256) {
        return _exit(previewRedeem(shares), shares, receiver, owner_, 0);
    }

    /// @inheritdoc IVaultCore
    function withdrawWithMaxLoss(
        uint256 assets,
        address receiver,
        address owner_,
        uint256 maxLossBps
    ) external nonReentrant returns (uint256 shares) {
        if (maxLossBps > ConstantsLib.BPS) revert AboveMax(maxLossBps, ConstantsLib.BPS);
        shares = previewWithdraw(assets);
        _exit(assets, shares, receiver, owner_, maxLossBps);
    }

    /// @inheritdoc IVaultCore
    function redeemWithMaxLoss(
        uint256 shares,
        address receiver,
        address owner_,
        uint256 maxLossBps
    ) external nonReentrant returns (uint256) {
        if (maxLossBps > ConstantsLib.BPS) revert AboveMax(maxLossBps, ConstantsLib.BPS);
        return _exit(previewRedeem(shares), shares, receiver, owner_, maxLossBps);
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
        return _deallocate(adapter, config, assets);
    }

    // ================================================================== reports and harvests

    /// @inheritdoc IVaultCore
    function report(address adapter) external nonReentrant returns (uint256 gain, uint256 loss) {
        // The redemption queue reports only for anyone once its liveness delay has passed (RedemptionQueue checks it).
        if (!_s().isKeeperOrOwner(msg.sender) && msg.sender != _s().redemptionQueue) revert Unauthorized(msg.sender);
        AdapterConfig storage config = _s().requireEnabled(adapter);
        uint256 real = IAdapter(adapter).totalAssets();
        uint256 debt = config.debt;
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
        uint256 length = _s().queue.length;
        for (uint256 i; i < length; ++i) {
            address adapter = _s().queue[i];
            AdapterConfig storage config = _s().adapters[adapter];
            uint256 debt = config.debt;
            if (debt == 0) continue;
            (bool ok, uint256 liquid) = _tryReleasable(adapter);
            if (!ok || liquid == 0) continue;
            // A reverting adapter must not block the shutdown of the others.
            try this.deallocateFromShutdown(adapter, Math.min(liquid, debt)) {} catch {}
        }
    }

    /// @dev Only the vault itself calls this, from `shutdown`, so that one failing adapter can be skipped.
    function deallocateFromShutdown(address adapter, uint256 assets) external {
        if (msg.sender != address(this)) revert Unauthorized(msg.sender);
        _deallocate(adapter, _s().adapters[adapter], assets);
    }

    /// @inheritdoc IVaultCore
    function skim(address token) external nonReentrant {
        if (token == asset()) revert CannotSkimAsset();
        address to = _s().skimRecipient;
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = IERC20(token).balanceOf(address(this));
        if (amount == 0) revert ZeroAmount();
        emit Skimmed(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    // ================================================================== internal: ERC-4626 plumbing

    function _s() internal pure returns (VaultStorageLib.Layout storage) {
        return VaultStorageLib.layout();
    }

    function _decimalsOffset() internal view override returns (uint8) {
        return _DECIMALS_OFFSET;
    }

    /// @dev Deposits land idle. Zero-asset and zero-share deposits are refused.
    function _deposit(address caller, address receiver, uint256 assets, uint256 shares) internal override {
        if (assets == 0) revert ZeroAmount();
        if (shares == 0) revert ZeroShares();
        super._deposit(caller, receiver, assets, shares);
        // A plain uint128(...) cast would truncate silently; SafeCast reverts if idle would pass type(uint128).max.
        _s().idle = SafeCast.toUint128(uint256(_s().idle) + assets);
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

    // ================================================================== internal: exits

    /// @dev Burns `shares` of `owner_`, gathers `assets` (idle first, then the withdraw queue) and pays the
    /// receiver `assets` less the loss share taken from adapters carrying an unrealised loss.
    function _exit(
        uint256 assets,
        uint256 shares,
        address receiver,
        address owner_,
        uint256 maxLossBps
    ) internal returns (uint256 paid) {
        if (assets == 0) revert ZeroAmount();
        if (shares == 0) revert ZeroShares();
        if (receiver == address(0)) revert ZeroAddress();
        if (msg.sender != owner_) _spendAllowance(owner_, msg.sender, shares);
        _useReserve(owner_, assets);
        _burn(owner_, shares);

        uint256 idle = _s().idle;
        uint256 loss;
        if (assets > idle) {
            loss = _gather(assets - idle, owner_, maxLossBps != 0);
            if (loss > assets.mulDiv(maxLossBps, ConstantsLib.BPS)) {
                revert MaxLossExceeded(loss, assets.mulDiv(maxLossBps, ConstantsLib.BPS));
            }
            // _gather brought exactly (assets - idle - loss) into idle, so idle now holds assets - loss.
            _s().idle = 0;
        } else {
            // assets <= idle, checked just above.
            _s().idle = uint128(idle - assets);
        }
        paid = assets - loss;
        emit Withdraw(msg.sender, receiver, owner_, paid, shares);
        IERC20(asset()).safeTransfer(receiver, paid);
    }

    /// @dev Walks the withdraw queue until `needed` book assets are taken off adapters. Returns the loss the
    /// withdrawer bears: book assets taken minus assets received. Reverts if the queue cannot cover `needed`.
    function _gather(uint256 needed, address owner_, bool acceptLoss) internal returns (uint256 loss) {
        uint256 length = _s().queue.length;
        for (uint256 i; i < length && needed != 0; ++i) {
            address adapter = _s().queue[i];
            AdapterConfig storage config = _s().adapters[adapter];
            uint256 debt = config.debt;
            if (debt == 0) continue;
            (bool ok, uint256 real, uint256 liquid) = _tryAssets(adapter);
            if (!ok || liquid == 0) continue;
            if (!_carriesLoss(real, debt)) {
                uint256 received = _pullFrom(adapter, Math.min(needed, Math.min(debt, liquid)));
                config.debt = uint128(debt - received);
                _s().debt -= uint128(received);
                needed -= received;
            } else {
                if (!acceptLoss || real == 0) continue;
                // Book slice taken off this adapter and its real worth (rounded down: the withdrawer bears dust).
                uint256 slice = Math.min(needed, debt);
                uint256 worth = slice.mulDiv(real, debt);
                if (worth > liquid) {
                    worth = liquid;
                    slice = Math.min(worth.mulDiv(debt, real, Math.Rounding.Ceil), slice);
                }
                uint256 received = _pullFrom(adapter, worth);
                if (received < worth) slice = Math.min(received.mulDiv(debt, real, Math.Rounding.Ceil), slice);
                config.debt = uint128(debt - slice);
                _s().debt -= uint128(slice);
                needed -= slice;
                loss += slice - received;
                emit WithdrawLoss(owner_, adapter, slice - received);
            }
        }
        if (needed != 0) revert InsufficientLiquidity(needed);
    }

    /// @dev Deallocates from `adapter`, updating its books by what actually came back.
    function _deallocate(
        address adapter,
        AdapterConfig storage config,
        uint256 assets
    ) internal returns (uint256 received) {
        received = _pullFrom(adapter, assets);
        // received <= assets <= debt (enforced by the callers), so the subtractions cannot underflow.
        config.debt -= uint128(received);
        _s().debt -= uint128(received);
        _s().idle += uint128(received);
        emit Deallocated(adapter, assets, received);
    }

    /// @dev Asks `adapter` for `assets` and returns what arrived, measured by balance change and never more than
    /// asked: an adapter that sends extra cannot raise the share price outside a report.
    function _pullFrom(address adapter, uint256 assets) internal returns (uint256 received) {
        if (assets == 0) return 0;
        IERC20 token = IERC20(asset());
        uint256 before = token.balanceOf(address(this));
        IAdapter(adapter).deallocate(assets);
        received = Math.min(token.balanceOf(address(this)) - before, assets);
    }

    // ================================================================== internal: liquidity reserved for the queue

    /// @dev Liquidity held back from `owner_`: the queue reserve, never above what the queue's escrow is worth;
    /// nothing for the queue itself.
    function _reserved(address owner_) internal view returns (uint256) {
        uint256 reserve = _s().queueReserve;
        address queue = _s().redemptionQueue;
        if (reserve == 0 || owner_ == queue) return 0;
        return Math.min(reserve, _convertToAssets(balanceOf(queue), Math.Rounding.Floor));
    }

    /// @dev What `owner_` can take now of `wanted` assets: idle plus what adapters release now, less the reserve.
    /// Walks the adapters only when idle beyond the reserve does not cover `wanted`.
    function _liquidFor(address owner_, uint256 wanted) internal view returns (uint256) {
        uint256 reserved = _reserved(owner_);
        uint256 idle = _s().idle;
        if (wanted + reserved <= idle) return wanted;
        uint256 liquid = idle + _liquidInAdapters();
        return liquid > reserved ? Math.min(wanted, liquid - reserved) : 0;
    }

    /// @dev On every exit: a direct exit may not take reserved liquidity; the queue's own redemptions consume it.
    function _useReserve(address owner_, uint256 assets) internal {
        uint256 reserve = _s().queueReserve;
        if (reserve == 0) return;
        if (owner_ == _s().redemptionQueue) {
            // Lowered by what the queue takes; uint96 cast: the result is below `reserve`.
            reserve = reserve > assets ? reserve - assets : 0;
            _s().queueReserve = uint96(reserve);
            emit QueueReserveSet(reserve);
        } else {
            // Cancelled requests leave the stored reserve above their worth: drop the excess, so that it cannot come
            // back for later requests no release was prepared for.
            uint256 reserved = _reserved(owner_);
            if (reserved < reserve) {
                _s().queueReserve = uint96(reserved);
                emit QueueReserveSet(reserved);
            }
            uint256 free = _liquidFor(owner_, assets);
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

    // ================================================================== internal: liquidity views

    /// @dev What the withdraw queue can release now, counting each adapter at most at its book value and leaving
    /// out adapters that revert or carry an unrealised loss.
    function _liquidInAdapters() internal view returns (uint256 liquid) {
        uint256 length = _s().queue.length;
        for (uint256 i; i < length; ++i) {
            address adapter = _s().queue[i];
            uint256 debt = _s().adapters[adapter].debt;
            if (debt == 0) continue;
            (bool ok, uint256 real, uint256 releasable) = _tryAssets(adapter);
            if (ok && !_carriesLoss(real, debt)) liquid += Math.min(debt, releasable);
        }
    }

    /// @dev Whether an adapter's real assets are below its books by more than rounding dust. Targets round their
    /// share conversions down, so an adapter can sit a few wei under its books with no market loss at all; a gap of
    /// at most LOSS_DUST_DIVISOR-th of the debt (plus one wei) is treated as dust, left for the next report to
    /// realise, so it does not lock plain withdrawals out of the adapter. Pulls stay within `releasable` (never
    /// above real assets), so they are always deliverable.
    function _carriesLoss(uint256 real, uint256 debt) internal pure returns (bool) {
        return real + debt / ConstantsLib.LOSS_DUST_DIVISOR + 1 < debt;
    }

    function _tryAssets(address adapter) internal view returns (bool ok, uint256 real, uint256 liquid) {
        try IAdapter(adapter).totalAssets() returns (uint256 r) {
            real = r;
        } catch {
            return (false, 0, 0);
        }
        (ok, liquid) = _tryReleasable(adapter);
    }

    function _tryReleasable(address adapter) internal view returns (bool, uint256) {
        try IAdapter(adapter).releasable() returns (uint256 r) {
            return (true, r);
        } catch {
            return (false, 0);
        }
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
        uint256 stillLocked = lockedProfit();
        _s().locked = uint128(stillLocked > loss ? stillLocked - loss : 0);
        _s().lockUpdatedAt = uint64(block.timestamp);
        // loss <= config.debt <= _s().debt: no underflow, and the casts only narrow values already stored as uint128.
        config.debt -= uint128(loss);
        _s().debt -= uint128(loss);
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
