// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IVotes} from "@openzeppelin/contracts/governance/utils/IVotes.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {Address} from "@openzeppelin/contracts/utils/Address.sol";

import {IAdapter, IAdapterTraits} from "../interfaces/IAdapter.sol";
import {IInKindAdapter} from "../interfaces/IInKindAdapter.sol";
import {IRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IRedemptionQueue} from "../interfaces/IRedemptionQueue.sol";
import {IVaultAdmin} from "../interfaces/IVaultAdmin.sol";
import {IVaultBounds} from "../interfaces/IVaultBounds.sol";
import {IVaultErrors} from "../interfaces/IVaultErrors.sol";
import {IVaultEvents} from "../interfaces/IVaultEvents.sol";
import {ConstantsLib} from "../libraries/ConstantsLib.sol";
import {AdapterConfig, Pending, VaultStorageLib} from "./VaultStorage.sol";

/// @title VaultAdmin
/// @notice Roles, timelock and configuration of RollupVault, kept out of the ERC-4626 hot path and out of the core's
/// bytecode, and the ERC-5143-style bounded entry points (IVaultBounds), which run the core's own ERC-4626 functions.
/// The vault delegatecalls this module for every selector it lacks; the module has no state of its own and one
/// deployment serves every vault.
/// @dev Runs only in the vault's context: `address(this)` is the vault, state is the vault's ERC-7201 namespace, and
/// the reentrancy guard (OpenZeppelin's transient slot, the same constant as the core's) is the vault's own: a call
/// guarded here cannot run inside a guarded call of the core, nor the reverse. The bounded entry points are not
/// guarded here: the core function they run is.
contract VaultAdmin is IVaultAdmin, IVaultBounds, IVaultErrors, IVaultEvents, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;
    using VaultStorageLib for VaultStorageLib.Layout;

    /// @dev The module's own address: a direct call (not through a vault) is refused.
    address private immutable _SELF = address(this);

    modifier onlyDelegated() {
        if (address(this) == _SELF) revert Unauthorized(msg.sender);
        _;
    }

    // ================================================================== state views

    /// @inheritdoc IVaultAdmin
    function owner() external view returns (address) {
        return VaultStorageLib.layout().owner;
    }

    /// @inheritdoc IVaultAdmin
    function curator() external view returns (address) {
        return VaultStorageLib.layout().curator;
    }

    /// @inheritdoc IVaultAdmin
    function guardian() external view returns (address) {
        return VaultStorageLib.layout().guardian;
    }

    /// @inheritdoc IVaultAdmin
    function isAllocator(address account) external view returns (bool) {
        return VaultStorageLib.layout().isAllocator[account];
    }

    /// @inheritdoc IVaultAdmin
    function isKeeper(address account) external view returns (bool) {
        return VaultStorageLib.layout().isKeeper[account];
    }

    /// @inheritdoc IVaultAdmin
    function timelock() external view returns (uint256) {
        return VaultStorageLib.layout().timelock;
    }

    /// @inheritdoc IVaultAdmin
    function feeRecipient() external view returns (address) {
        return VaultStorageLib.layout().feeRecipient;
    }

    /// @inheritdoc IVaultAdmin
    function skimRecipient() external view returns (address) {
        return VaultStorageLib.layout().skimRecipient;
    }

    /// @inheritdoc IVaultAdmin
    function rewardsDistributor() external view returns (address) {
        return VaultStorageLib.layout().rewardsDistributor;
    }

    /// @inheritdoc IVaultAdmin
    function depositLimit() external view returns (uint256) {
        return VaultStorageLib.layout().depositLimit;
    }

    /// @inheritdoc IVaultAdmin
    function paused() external view returns (bool) {
        return VaultStorageLib.layout().paused;
    }

    /// @inheritdoc IVaultAdmin
    function isShutdown() external view returns (bool) {
        return VaultStorageLib.layout().isShutdown;
    }

    /// @inheritdoc IVaultAdmin
    function minIdle() external view returns (uint256) {
        return VaultStorageLib.layout().minIdle;
    }

    /// @inheritdoc IVaultAdmin
    function performanceFee() external view returns (uint256) {
        return VaultStorageLib.layout().performanceFee;
    }

    /// @inheritdoc IVaultAdmin
    function managementFee() external view returns (uint256) {
        return VaultStorageLib.layout().managementFee;
    }

    /// @inheritdoc IVaultAdmin
    function maxGainBps() external view returns (uint256) {
        return VaultStorageLib.layout().maxGainBps;
    }

    /// @inheritdoc IVaultAdmin
    function profitUnlockTime() external view returns (uint256) {
        return VaultStorageLib.layout().profitUnlockTime;
    }

    /// @inheritdoc IVaultAdmin
    function harvestInterval() external view returns (uint256) {
        return VaultStorageLib.layout().harvestInterval;
    }

    /// @inheritdoc IVaultAdmin
    function lastHarvest(address adapter) external view returns (uint256) {
        return VaultStorageLib.layout().lastHarvest[adapter];
    }

    /// @inheritdoc IVaultAdmin
    function lastFeeAccrual() external view returns (uint256) {
        return VaultStorageLib.layout().lastFeeAccrual;
    }

    /// @inheritdoc IVaultAdmin
    function adapterConfig(
        address adapter
    ) external view returns (bool enabled, uint256 debt, uint256 absoluteCap, uint256 relativeCapBps) {
        AdapterConfig storage config = VaultStorageLib.layout().adapters[adapter];
        return (config.enabled, config.debt, config.absoluteCap, config.relativeCapBps);
    }

    /// @inheritdoc IVaultAdmin
    function withdrawQueue() external view returns (address[] memory) {
        return VaultStorageLib.layout().queue;
    }

    /// @inheritdoc IVaultAdmin
    function managementFeeOwed() external view returns (uint256) {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        return st.managementFeeOwed + st.managementFeeDue(IERC4626(address(this)).totalAssets());
    }

    /// @inheritdoc IVaultAdmin
    function gainAllowance() external view returns (uint256) {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        uint256 cap = Math.mulDiv(IERC4626(address(this)).totalAssets(), st.maxGainBps, ConstantsLib.BPS);
        uint256 drained = Math.mulDiv(cap, block.timestamp - st.gainUsedAt, ConstantsLib.GAIN_WINDOW);
        uint256 used = st.gainUsed > drained ? st.gainUsed - drained : 0;
        return cap > used ? cap - used : 0;
    }

    /// @inheritdoc IVaultAdmin
    function highWaterMark() external view returns (uint256) {
        return VaultStorageLib.layout().highWaterMark;
    }

    /// @inheritdoc IVaultAdmin
    function executableAt(bytes calldata data) external view returns (uint256) {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        return _executableAt(st, st.pending[keccak256(data)]);
    }

    /// @inheritdoc IVaultAdmin
    function expiresAt(bytes calldata data) external view returns (uint256) {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        uint256 at = _executableAt(st, st.pending[keccak256(data)]);
        return at == 0 ? 0 : at + ConstantsLib.EXECUTION_WINDOW;
    }

    // ================================================================== timelock

    /// @inheritdoc IVaultAdmin
    function submit(bytes calldata data) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        bytes32 id = keccak256(data);
        uint256 at = _executableAt(st, st.pending[id]);
        // An expired submission may be submitted again, with a fresh timelock.
        if (at != 0 && block.timestamp <= at + ConstantsLib.EXECUTION_WINDOW) revert AlreadyPending();
        at = block.timestamp + st.timelock;
        // Timestamps and at (now + at most MAX_TIMELOCK) fit in 64 bits for billions of years.
        st.pending[id] = Pending(uint64(block.timestamp), uint64(at));
        emit Submitted(bytes4(data), data, at);
    }

    /// @inheritdoc IVaultAdmin
    function revoke(bytes calldata data) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireGuardian();
        bytes32 id = keccak256(data);
        if (st.pending[id].submittedAt == 0) revert NotSubmitted();
        // The guardian cannot veto its own replacement (issue 8.9): only the owner may revoke a `setGuardian`.
        if (bytes4(data) == this.setGuardian.selector && msg.sender != st.owner) revert Unauthorized(msg.sender);
        delete st.pending[id];
        emit Revoked(bytes4(data), data, msg.sender);
    }

    /// @dev Consumes the submission of the current call, or lets it through while the timelock is zero. A submission
    /// runs from the later of its submission-time unlock and submission + the timelock in force now, and expires
    /// EXECUTION_WINDOW after that (issue 8.5).
    function _timelocked(VaultStorageLib.Layout storage st) internal {
        bytes32 id = keccak256(msg.data);
        uint256 at = _executableAt(st, st.pending[id]);
        if (at == 0 || block.timestamp > at + ConstantsLib.EXECUTION_WINDOW) {
            if (st.timelock == 0) return;
            if (at == 0) revert NotSubmitted();
            revert SubmissionExpired(at + ConstantsLib.EXECUTION_WINDOW);
        }
        if (block.timestamp < at) revert TimelockNotElapsed(at);
        delete st.pending[id];
        emit Accepted(bytes4(msg.data), msg.data);
    }

    /// @dev When a pending call may run: the longer of the timelock at submission and the timelock now. 0: none.
    function _executableAt(VaultStorageLib.Layout storage st, Pending storage p) internal view returns (uint256) {
        uint256 submittedAt = p.submittedAt;
        if (submittedAt == 0) return 0;
        return Math.max(p.executableAt, submittedAt + st.timelock);
    }

    // ================================================================== owner

    /// @inheritdoc IVaultAdmin
    function setOwner(address newOwner) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (newOwner == address(0)) revert ZeroAddress();
        if (newOwner == st.owner) revert AlreadySet();
        _timelocked(st);
        st.owner = newOwner;
        emit OwnerSet(newOwner);
    }

    /// @inheritdoc IVaultAdmin
    function setCurator(address newCurator) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (newCurator == st.curator) revert AlreadySet();
        if (newCurator != address(0)) _timelocked(st);
        st.curator = newCurator;
        emit CuratorSet(newCurator);
    }

    /// @inheritdoc IVaultAdmin
    function setGuardian(address newGuardian) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (newGuardian == st.guardian) revert AlreadySet();
        _timelocked(st);
        st.guardian = newGuardian;
        emit GuardianSet(newGuardian);
    }

    /// @inheritdoc IVaultAdmin
    function setAllocator(address account, bool allowed) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (account == address(0)) revert ZeroAddress();
        if (st.isAllocator[account] == allowed) revert AlreadySet();
        if (allowed) _timelocked(st);
        st.isAllocator[account] = allowed;
        emit AllocatorSet(account, allowed);
    }

    /// @inheritdoc IVaultAdmin
    function setKeeper(address account, bool allowed) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (account == address(0)) revert ZeroAddress();
        if (st.isKeeper[account] == allowed) revert AlreadySet();
        if (allowed) _timelocked(st);
        st.isKeeper[account] = allowed;
        emit KeeperSet(account, allowed);
    }

    /// @inheritdoc IVaultAdmin
    function setTimelock(uint256 newTimelock) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (newTimelock == st.timelock) revert AlreadySet();
        if (newTimelock > ConstantsLib.MAX_TIMELOCK) revert AboveMax(newTimelock, ConstantsLib.MAX_TIMELOCK);
        if (newTimelock < st.timelock) _timelocked(st);
        st.timelock = newTimelock;
        emit TimelockSet(newTimelock);
    }

    /// @inheritdoc IVaultAdmin
    function setFeeRecipient(address newFeeRecipient) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (newFeeRecipient == address(0)) revert ZeroAddress();
        if (newFeeRecipient == st.feeRecipient) revert AlreadySet();
        st.feeRecipient = newFeeRecipient;
        emit FeeRecipientSet(newFeeRecipient);
    }

    /// @inheritdoc IVaultAdmin
    function setSkimRecipient(address newSkimRecipient) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (newSkimRecipient == address(0)) revert ZeroAddress();
        if (newSkimRecipient == st.skimRecipient) revert AlreadySet();
        // Timelocked whatever the value: with the distributor removed, harvested rewards land here for `skim`.
        _timelocked(st);
        st.skimRecipient = newSkimRecipient;
        emit SkimRecipientSet(newSkimRecipient);
    }

    /// @inheritdoc IVaultAdmin
    function setRewardsDistributor(address newDistributor) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (newDistributor == st.rewardsDistributor) revert AlreadySet();
        // Removing or replacing it is timelocked: harvests would otherwise be diverted at once (issue 8.6).
        _timelocked(st);
        address previous = st.rewardsDistributor;
        st.rewardsDistributor = newDistributor;
        emit RewardsDistributorSet(newDistributor);
        // The outgoing distributor freezes and hands its streams and holders over (RewardsDistributor.detach).
        if (previous.code.length != 0) IRewardsDistributor(previous).detach(newDistributor);
    }

    /// @inheritdoc IVaultAdmin
    function delegateVotes(address delegatee) external onlyDelegated {
        VaultStorageLib.layout().requireOwner();
        emit VotesDelegated(delegatee);
        // Runs in the vault's context: the vault itself delegates its balance of the asset.
        IVotes(IERC4626(address(this)).asset()).delegate(delegatee);
    }

    // ================================================================== curator

    /// @inheritdoc IVaultAdmin
    function addAdapter(address adapter, uint256 absoluteCap, uint256 relativeCapBps) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        if (adapter == address(0)) revert ZeroAddress();
        AdapterConfig storage config = st.adapters[adapter];
        if (config.enabled) revert AdapterAlreadyEnabled(adapter);
        if (
            IAdapter(adapter).vault() != address(this) || IAdapter(adapter).asset() != IERC4626(address(this)).asset()
        ) {
            revert AdapterMismatch(adapter);
        }
        if (st.queue.length >= ConstantsLib.MAX_ADAPTERS) revert TooManyAdapters();
        _checkCaps(absoluteCap, relativeCapBps);
        _timelocked(st);
        config.enabled = true;
        // Cached once: an adapter that declares it cannot lose is never read to price shares.
        if (_readTrait(adapter, IAdapterTraits.cannotLose.selector) != 1) st.watchAdd(adapter);
        config.absoluteCap = uint128(absoluteCap);
        config.relativeCapBps = uint16(relativeCapBps);
        st.queue.push(adapter);
        emit AdapterAdded(adapter, absoluteCap, relativeCapBps);
    }

    /// @inheritdoc IVaultAdmin
    function removeAdapter(address adapter) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        AdapterConfig storage config = st.requireEnabled(adapter);
        if (config.debt != 0) revert AdapterHasDebt(adapter, config.debt);
        delete st.adapters[adapter];
        st.watchRemove(adapter);
        uint256 length = st.queue.length;
        for (uint256 i; i < length; ++i) {
            if (st.queue[i] == adapter) {
                // Keep the others in order: the allocator's withdraw order stays meaningful.
                for (uint256 j = i; j + 1 < length; ++j) st.queue[j] = st.queue[j + 1];
                st.queue.pop();
                break;
            }
        }
        emit AdapterRemoved(adapter);
    }

    /// @inheritdoc IVaultAdmin
    function setAbsoluteCap(address adapter, uint256 cap) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        AdapterConfig storage config = st.requireEnabled(adapter);
        if (cap == config.absoluteCap) revert AlreadySet();
        _checkCaps(cap, 0);
        if (cap > config.absoluteCap) _timelocked(st);
        config.absoluteCap = uint128(cap);
        emit AbsoluteCapSet(adapter, cap);
    }

    /// @inheritdoc IVaultAdmin
    function setRelativeCap(address adapter, uint256 capBps) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        AdapterConfig storage config = st.requireEnabled(adapter);
        if (capBps == config.relativeCapBps) revert AlreadySet();
        _checkCaps(0, capBps);
        if (capBps > config.relativeCapBps) _timelocked(st);
        config.relativeCapBps = uint16(capBps);
        emit RelativeCapSet(adapter, capBps);
    }

    /// @inheritdoc IVaultAdmin
    function setDepositLimit(uint256 limit) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        if (limit > type(uint128).max) revert AboveMax(limit, type(uint128).max);
        if (limit == st.depositLimit) revert AlreadySet();
        if (limit > st.depositLimit) _timelocked(st);
        st.depositLimit = uint128(limit);
        emit DepositLimitSet(limit);
    }

    /// @inheritdoc IVaultAdmin
    function setMinIdle(uint256 newMinIdle) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        if (newMinIdle == st.minIdle) revert AlreadySet();
        st.minIdle = newMinIdle;
        emit MinIdleSet(newMinIdle);
    }

    /// @inheritdoc IVaultAdmin
    function setPerformanceFee(uint256 feeBps) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        if (feeBps > ConstantsLib.MAX_PERFORMANCE_FEE_BPS) {
            revert AboveMax(feeBps, ConstantsLib.MAX_PERFORMANCE_FEE_BPS);
        }
        if (feeBps == st.performanceFee) revert AlreadySet();
        if (feeBps != 0 && st.feeRecipient == address(0)) revert ZeroAddress();
        if (feeBps > st.performanceFee) _timelocked(st);
        st.performanceFee = uint16(feeBps);
        emit PerformanceFeeSet(feeBps);
    }

    /// @inheritdoc IVaultAdmin
    function setManagementFee(uint256 feeBps) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        if (feeBps > ConstantsLib.MAX_MANAGEMENT_FEE_BPS) {
            revert AboveMax(feeBps, ConstantsLib.MAX_MANAGEMENT_FEE_BPS);
        }
        if (feeBps == st.managementFee) revert AlreadySet();
        if (feeBps != 0 && st.feeRecipient == address(0)) revert ZeroAddress();
        if (feeBps > st.managementFee) _timelocked(st);
        // Time before the change is owed at the old rate (carried to the next gains, issue 8.8); the new one counts
        // from now.
        st.accrueManagementFee(IERC4626(address(this)).totalAssets());
        st.managementFee = uint16(feeBps);
        emit ManagementFeeSet(feeBps);
    }

    /// @inheritdoc IVaultAdmin
    function setProfitUnlockTime(uint256 time) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        if (time > ConstantsLib.MAX_PROFIT_UNLOCK_TIME) revert AboveMax(time, ConstantsLib.MAX_PROFIT_UNLOCK_TIME);
        if (time == st.profitUnlockTime) revert AlreadySet();
        // A shorter unlock lets a deposit made before a report catch more of its gain: timelocked (issue 8.11).
        if (time < st.profitUnlockTime) _timelocked(st);
        st.profitUnlockTime = uint32(time);
        emit ProfitUnlockTimeSet(time);
    }

    /// @inheritdoc IVaultAdmin
    function setMaxGain(uint256 newMaxGainBps) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        if (newMaxGainBps > ConstantsLib.BPS) revert AboveMax(newMaxGainBps, ConstantsLib.BPS);
        if (newMaxGainBps == st.maxGainBps) revert AlreadySet();
        if (newMaxGainBps > st.maxGainBps) _timelocked(st);
        st.maxGainBps = uint16(newMaxGainBps);
        emit MaxGainSet(newMaxGainBps);
    }

    /// @inheritdoc IVaultAdmin
    function setHarvestInterval(uint256 interval) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        if (interval > type(uint32).max) revert AboveMax(interval, type(uint32).max);
        if (interval == st.harvestInterval) revert AlreadySet();
        st.harvestInterval = uint32(interval);
        emit HarvestIntervalSet(interval);
    }

    // ================================================================== allocator

    /// @inheritdoc IVaultAdmin
    function setWithdrawQueue(address[] calldata queue) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireAllocator();
        uint256 length = queue.length;
        if (length != st.queue.length) revert InvalidQueue();
        for (uint256 i; i < length; ++i) {
            if (!st.adapters[queue[i]].enabled) revert InvalidQueue();
            for (uint256 j; j < i; ++j) {
                if (queue[j] == queue[i]) revert InvalidQueue();
            }
        }
        st.queue = queue;
        emit WithdrawQueueSet(queue);
    }

    // ================================================================== guardian

    /// @inheritdoc IVaultAdmin
    function setPaused(bool newPaused) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireGuardian();
        if (newPaused == st.paused) revert AlreadySet();
        st.paused = newPaused;
        emit PausedSet(msg.sender, newPaused);
    }

    // ================================================================== redemption queue and liveness

    /// @inheritdoc IVaultAdmin
    function redemptionQueue() external view returns (address) {
        return VaultStorageLib.layout().redemptionQueue;
    }

    /// @inheritdoc IVaultAdmin
    function queueReserve() external view returns (uint256) {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        uint256 reserve = st.queueReserve;
        if (reserve == 0) return 0;
        // Runs in the vault's context: the queue's escrow at the vault's own price (as the core's `_reserved`).
        uint256 demand = IERC4626(address(this)).convertToAssets(IERC20(address(this)).balanceOf(st.redemptionQueue));
        return reserve < demand ? reserve : demand;
    }

    /// @inheritdoc IVaultAdmin
    /// @dev Runs in the vault's context, under the vault's own reentrancy slot (no call of it inside a guarded core
    /// call, where idle may be mid-update); reads the price through the core's `convertToAssets`, as `queueReserve`.
    function reserveIdleForQueue() external onlyDelegated nonReentrant returns (uint256 reserve) {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        address queue = st.redemptionQueue;
        if (queue == address(0)) return 0;
        uint256 stored = st.queueReserve;
        uint256 idle = st.idle;
        // Nothing reserved and nothing idle: nothing to assign (spares the price read on a vault fully allocated).
        if (stored == 0 && idle == 0) return 0;
        uint256 demand = IERC4626(address(this)).convertToAssets(IERC20(address(this)).balanceOf(queue));
        // max(reserve, min(idle, demand)) with the reserve itself capped at demand = min(max(reserve, idle), demand).
        reserve = Math.min(Math.max(stored, idle), demand);
        if (reserve > type(uint96).max) reserve = type(uint96).max;
        if (reserve == stored) return reserve;
        // uint96 cast: capped just above.
        st.queueReserve = uint96(reserve);
        emit QueueReserveSet(reserve);
    }

    /// @inheritdoc IVaultAdmin
    function livenessDelay() external view returns (uint256) {
        uint256 delay = VaultStorageLib.layout().livenessDelay;
        return delay == 0 ? ConstantsLib.DEFAULT_LIVENESS_DELAY : delay;
    }

    /// @inheritdoc IVaultAdmin
    function lastKeeperAction() external view returns (uint256) {
        return VaultStorageLib.layout().lastKeeperAction;
    }

    /// @inheritdoc IVaultAdmin
    function setRedemptionQueue(address queue) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (queue == st.redemptionQueue) revert AlreadySet();
        if (queue != address(0) && IRedemptionQueue(queue).vault() != address(this)) revert QueueMismatch(queue);
        _timelocked(st);
        st.redemptionQueue = queue;
        st.queueReserve = 0;
        emit RedemptionQueueSet(queue);
        emit QueueReserveSet(0);
    }

    /// @inheritdoc IVaultAdmin
    function setLivenessDelay(uint256 delay) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireOwner();
        if (delay < ConstantsLib.MIN_LIVENESS_DELAY) revert BelowMin(delay, ConstantsLib.MIN_LIVENESS_DELAY);
        if (delay > ConstantsLib.MAX_LIVENESS_DELAY) revert AboveMax(delay, ConstantsLib.MAX_LIVENESS_DELAY);
        uint256 current = st.livenessDelay == 0 ? ConstantsLib.DEFAULT_LIVENESS_DELAY : st.livenessDelay;
        if (delay == current) revert AlreadySet();
        // A shorter delay opens the queue's liveness rights sooner: a risk change, so it waits out the timelock.
        if (delay < current) _timelocked(st);
        st.livenessDelay = uint32(delay);
        emit LivenessDelaySet(delay);
    }

    // ================================================================== in-kind exits

    /// @inheritdoc IVaultAdmin
    function inKindPenalty() external view returns (uint256) {
        return VaultStorageLib.layout().inKindPenalty;
    }

    /// @inheritdoc IVaultAdmin
    function previewRedeemInKind(uint256 shares) public view returns (uint256 assets, uint256 penalty, uint256 out) {
        // Runs in the vault's context: the vault's own `redeem` price, then the penalty as the core rounds it.
        assets = IERC4626(address(this)).convertToAssets(shares);
        penalty = Math.mulDiv(assets, VaultStorageLib.layout().inKindPenalty, ConstantsLib.BPS, Math.Rounding.Ceil);
        out = assets - penalty;
    }

    /// @inheritdoc IVaultAdmin
    function maxRedeemInKind(address adapter, address owner_) external view returns (uint256 shares) {
        uint256 available = inKindAvailable(adapter);
        if (available == 0) return 0;
        shares = IERC20(address(this)).balanceOf(owner_);
        (, , uint256 out) = previewRedeemInKind(shares);
        if (out <= available) return out == 0 ? 0 : shares;
        // The assets whose `out` is at most `available`: available * BPS / (BPS - penalty), rounded down, then the
        // shares they buy, rounded down (their worth is at most those assets, so `out` stays within `available`).
        uint256 maxAssets = Math.mulDiv(
            available,
            ConstantsLib.BPS,
            ConstantsLib.BPS - VaultStorageLib.layout().inKindPenalty
        );
        shares = IERC4626(address(this)).convertToShares(maxAssets);
        // Shares whose exit would hand out nothing are refused by the core (`ZeroAmount`): none then.
        (, , out) = previewRedeemInKind(shares);
        if (out == 0) return 0;
    }

    /// @inheritdoc IVaultAdmin
    function inKindAvailable(address adapter) public view returns (uint256) {
        uint256 debt = VaultStorageLib.layout().adapters[adapter].debt;
        if (debt == 0 || !VaultStorageLib.layout().adapters[adapter].enabled) return 0;
        uint256 held;
        try IInKindAdapter(adapter).inKindAvailable() returns (uint256 amount) {
            held = amount;
        } catch {
            return 0;
        }
        // A losing position is not handed out at book value (the core's `InKindLoss`).
        try IAdapter(adapter).totalAssets() returns (uint256 real) {
            if (real < debt) return 0;
        } catch {
            return 0;
        }
        return held < debt ? held : debt;
    }

    /// @inheritdoc IVaultAdmin
    function setInKindPenalty(uint256 bps) external onlyDelegated {
        VaultStorageLib.Layout storage st = VaultStorageLib.layout();
        st.requireCurator();
        if (bps > ConstantsLib.MAX_IN_KIND_PENALTY_BPS) {
            revert InKindPenaltyTooHigh(bps, ConstantsLib.MAX_IN_KIND_PENALTY_BPS);
        }
        if (bps == st.inKindPenalty) revert AlreadySet();
        // A higher penalty costs holders who exit in kind: timelocked, like a fee increase. Lowering is immediate.
        if (bps > st.inKindPenalty) _timelocked(st);
        st.inKindPenalty = uint16(bps);
        emit InKindPenaltySet(bps);
    }

    // ================================================================== anyone

    /// @inheritdoc IVaultAdmin
    /// @dev Moved out of the core (issue 13.5: room for `redeemInKind`); guarded by the vault's own reentrancy slot.
    function skim(address token) external onlyDelegated nonReentrant {
        if (token == IERC4626(address(this)).asset()) revert CannotSkimAsset();
        address to = VaultStorageLib.layout().skimRecipient;
        if (to == address(0)) revert ZeroAddress();
        uint256 amount = IERC20(token).balanceOf(address(this));
        if (amount == 0) revert ZeroAmount();
        emit Skimmed(token, to, amount);
        IERC20(token).safeTransfer(to, amount);
    }

    // ================================================================== bounded entry points (ERC-5143 style)

    /// @inheritdoc IVaultBounds
    function depositMin(
        uint256 assets,
        address receiver,
        uint256 minShares
    ) external onlyDelegated returns (uint256 shares) {
        shares = _runCore(abi.encodeCall(IERC4626.deposit, (assets, receiver)));
        if (shares < minShares) revert MinSharesNotMet(shares, minShares);
    }

    /// @inheritdoc IVaultBounds
    function mintMax(
        uint256 shares,
        address receiver,
        uint256 maxAssets
    ) external onlyDelegated returns (uint256 assets) {
        assets = _runCore(abi.encodeCall(IERC4626.mint, (shares, receiver)));
        if (assets > maxAssets) revert MaxAssetsExceeded(assets, maxAssets);
    }

    /// @inheritdoc IVaultBounds
    function withdrawMax(
        uint256 assets,
        address receiver,
        address owner_,
        uint256 maxShares
    ) external onlyDelegated returns (uint256 shares) {
        shares = _runCore(abi.encodeCall(IERC4626.withdraw, (assets, receiver, owner_)));
        if (shares > maxShares) revert MaxSharesExceeded(shares, maxShares);
    }

    /// @inheritdoc IVaultBounds
    function redeemMin(
        uint256 shares,
        address receiver,
        address owner_,
        uint256 minAssets
    ) external onlyDelegated returns (uint256 assets) {
        assets = _runCore(abi.encodeCall(IERC4626.redeem, (shares, receiver, owner_)));
        if (assets < minAssets) revert MinAssetsNotMet(assets, minAssets);
    }

    // ================================================================== operators (ERC-7540's model, for deposits)

    /// @inheritdoc IVaultBounds
    /// @dev An operator can deposit what the owner approved to the vault for any receiver: ERC-7540's operator power.
    /// The payer slot is set only here, only for the core's `deposit` run next, which is guarded: a re-entered
    /// `deposit`, `mint` or `depositMinFrom` reverts with the core's ReentrancyGuardReentrantCall, so no other
    /// deposit can pull from the payer. It is cleared before returning (a revert discards it as well).
    function depositMinFrom(
        address owner_,
        uint256 assets,
        address receiver,
        uint256 minShares
    ) external onlyDelegated returns (uint256 shares) {
        shares = _runCoreFor(owner_, abi.encodeCall(IERC4626.deposit, (assets, receiver)));
        if (shares < minShares) revert MinSharesNotMet(shares, minShares);
    }

    /// @inheritdoc IVaultBounds
    /// @dev As `depositMinFrom`: the payer slot is set only for the core's guarded `mint` run here.
    function mintMaxFrom(
        address owner_,
        uint256 shares,
        address receiver,
        uint256 maxAssets
    ) external onlyDelegated returns (uint256 assets) {
        assets = _runCoreFor(owner_, abi.encodeCall(IERC4626.mint, (shares, receiver)));
        if (assets > maxAssets) revert MaxAssetsExceeded(assets, maxAssets);
    }

    /// @inheritdoc IVaultBounds
    function setOperator(address operator, bool approved) external onlyDelegated returns (bool) {
        if (operator == address(0) || operator == msg.sender) revert InvalidOperator(operator);
        VaultStorageLib.layout().isOperator[msg.sender][operator] = approved;
        emit OperatorSet(msg.sender, operator, approved);
        return true;
    }

    /// @inheritdoc IVaultBounds
    function isOperator(address owner_, address operator) external view returns (bool) {
        return VaultStorageLib.layout().isOperator[owner_][operator];
    }

    // ================================================================== internal

    /// @dev Runs the core's `deposit` or `mint` (`data`) paid by `owner_`: as is when the caller is `owner_`, else
    /// only for an operator of `owner_` (`NotOperator`), with `owner_` in the transient payer slot for that one call.
    function _runCoreFor(address owner_, bytes memory data) private returns (uint256 result) {
        if (owner_ == msg.sender) return _runCore(data);
        if (!VaultStorageLib.layout().isOperator[owner_][msg.sender]) revert NotOperator(owner_, msg.sender);
        _setPayer(owner_);
        result = _runCore(data);
        _setPayer(address(0));
    }

    /// @dev Writes the transient payer slot (VaultStorageLib.PAYER_SLOT) that the core's `_deposit` reads.
    function _setPayer(address payer) private {
        bytes32 slot = VaultStorageLib.PAYER_SLOT;
        assembly ("memory-safe") {
            tstore(slot, payer)
        }
    }

    /// @dev Runs one of the core's ERC-4626 entry points inside this call: a delegatecall to the vault's own code
    /// (`address(this)` is the vault here), so `msg.sender` stays the caller whose assets or shares move, the core's
    /// checks and its reentrancy guard apply as in a direct call, and its revert is bubbled up unchanged. Returns
    /// the function's one uint256 result.
    function _runCore(bytes memory data) private returns (uint256) {
        return abi.decode(Address.functionDelegateCall(address(this), data), (uint256));
    }

    /// @dev One word from an optional IAdapterTraits view, or 0 if the adapter does not implement it.
    function _readTrait(address adapter, bytes4 selector) internal view returns (uint256 value) {
        assembly ("memory-safe") {
            mstore(0, selector)
            let ok := staticcall(100000, adapter, 0, 4, 0, 32)
            value := mul(mload(0), and(ok, gt(returndatasize(), 31)))
        }
    }

    function _checkCaps(uint256 absoluteCap, uint256 relativeCapBps) internal pure {
        if (absoluteCap > type(uint128).max) revert AboveMax(absoluteCap, type(uint128).max);
        if (relativeCapBps > ConstantsLib.BPS) revert AboveMax(relativeCapBps, ConstantsLib.BPS);
    }
}
