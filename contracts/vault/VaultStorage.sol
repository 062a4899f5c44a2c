// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

import {IVaultErrors} from "../interfaces/IVaultErrors.sol";
import {ConstantsLib} from "../libraries/ConstantsLib.sol";

/// @dev Per-adapter state: recorded assets and caps in two slots.
struct AdapterConfig {
    uint128 debt;
    uint128 absoluteCap;
    uint16 relativeCapBps;
    bool enabled;
}

/// @dev A timelocked call waiting for execution: when it was submitted and the earliest execution time the timelock
/// in force at submission gave it. Zero `submittedAt`: nothing pending.
struct Pending {
    uint64 submittedAt;
    uint64 executableAt;
}

/// @title VaultStorageLib
/// @notice The vault's own state, in one ERC-7201 namespace shared by the core and the admin module it
/// delegatecalls, so that neither depends on the other's inheritance layout.
library VaultStorageLib {
    /// @custom:storage-location erc7201:rollupvault.storage.Vault
    struct Layout {
        // ---- books (hot: every deposit and withdrawal)
        uint128 idle;
        uint128 debt;
        // ---- profit lock: `locked` as of `lockUpdatedAt`, unlocking linearly until `unlockEnd`
        uint128 locked;
        uint64 lockUpdatedAt;
        uint64 unlockEnd;
        // ---- deposit gate (hot: every deposit)
        uint128 depositLimit;
        bool paused;
        bool isShutdown;
        // ---- fees and reports
        uint16 performanceFee;
        uint16 managementFee;
        uint16 maxGainBps;
        uint32 profitUnlockTime;
        uint32 harvestInterval;
        uint64 lastFeeAccrual;
        uint256 minIdle;
        // ---- roles
        address owner;
        address curator;
        address guardian;
        mapping(address account => bool) isAllocator;
        mapping(address account => bool) isKeeper;
        // ---- timelock
        uint256 timelock;
        mapping(bytes32 callHash => Pending) pending;
        // ---- recipients and hooks
        address feeRecipient;
        address skimRecipient;
        address rewardsDistributor;
        // Liquidity reserved for the redemption queue (fair exits). Packed beside the distributor, which every share
        // burn reads, so that an exit reads no extra slot for it.
        uint96 queueReserve;
        // ---- adapters: `queue` is the withdraw order and the list of every enabled adapter
        address[] queue;
        mapping(address adapter => AdapterConfig) adapters;
        mapping(address adapter => uint256) lastHarvest;
        // ---- governance and reports (issue 8): appended so that earlier fields keep their slots
        // Management fee accrued since `lastFeeAccrual` but not yet paid out of a gain.
        uint128 managementFeeOwed;
        // Total assets at the last accrual: the fee for the time since is charged on the lower of it and total assets
        // now, so that a deposit made just before a report is not charged for time it was not in the vault.
        uint128 managementFeeBase;
        // Gain allowance used (`maxGainBps` over GAIN_WINDOW), as of `gainUsedAt`; it drains linearly.
        uint128 gainUsed;
        uint64 gainUsedAt;
        // Highest gross assets (idle + debt) per share, scaled by ConstantsLib.PRICE_SCALE, on which a performance fee was charged.
        uint256 highWaterMark;
        // ---- redemption queue (fair exits): reserved liquidity and liveness without operators
        address redemptionQueue;
        uint32 livenessDelay;
        uint64 lastKeeperAction;
        // ---- pricing: the loss watch, the enabled adapters that did not declare at `addAdapter` that their protocol
        // cannot lose (IAdapterTraits.cannotLose). Only these are read to price shares, so an adapter that cannot
        // lose costs deposits nothing. Unordered and compact; entry i holds an adapter in its low 160 bits, and
        // entry 0 also holds the count above them, so that a deposit reads one slot per watched adapter.
        uint256[10] lossWatch;
        // ---- in-kind exits (issue 13.5): appended after the loss watch so that earlier fields keep their slots.
        // Penalty in basis points (at most ConstantsLib.MAX_IN_KIND_PENALTY_BPS) of what shares exited in kind are
        // worth; it stays in the vault.
        uint16 inKindPenalty;
        // ---- operators (ERC-7540's model, issue 10): appended after the in-kind penalty so that earlier fields keep
        // their slots. `isOperator[owner][operator]`: `operator` may deposit `owner`'s approved assets through
        // `depositMinFrom`, for any receiver.
        mapping(address owner => mapping(address operator => bool)) isOperator;
    }

    // keccak256(abi.encode(uint256(keccak256("rollupvault.storage.Vault")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant SLOT = 0x9e864850bce5fa354b352d478a9f3149f092f80f1c4dac0e115b00598798d500;

    // Transient (EIP-1153) slot naming the payer of the deposit that VaultAdmin.depositMinFrom runs: the owner whose
    // assets the core's `_deposit` pulls instead of the caller's. Set only by `depositMinFrom`, right before it runs
    // the core's guarded `deposit`, and cleared right after (a revert clears it too); zero at every other time.
    // keccak256(abi.encode(uint256(keccak256("rollupvault.transient.payer")) - 1)) & ~bytes32(uint256(0xff))
    bytes32 internal constant PAYER_SLOT = 0x23ab2567b5a0312a1e4b4c82367d0b8c9c4877d19add604c38c2f872a33c9100;

    function layout() internal pure returns (Layout storage st) {
        bytes32 slot = SLOT;
        assembly ("memory-safe") {
            st.slot := slot
        }
    }

    // ------------------------------------------------------------------ role checks shared by core and admin
    function requireOwner(Layout storage st) internal view {
        if (msg.sender != st.owner) revert IVaultErrors.Unauthorized(msg.sender);
    }

    function requireCurator(Layout storage st) internal view {
        if (msg.sender != st.curator && msg.sender != st.owner) revert IVaultErrors.Unauthorized(msg.sender);
    }

    function requireAllocator(Layout storage st) internal view {
        if (!st.isAllocator[msg.sender] && msg.sender != st.owner) revert IVaultErrors.Unauthorized(msg.sender);
    }

    function requireGuardian(Layout storage st) internal view {
        if (msg.sender != st.guardian && msg.sender != st.owner) revert IVaultErrors.Unauthorized(msg.sender);
    }

    function isKeeperOrOwner(Layout storage st, address account) internal view returns (bool) {
        return st.isKeeper[account] || account == st.owner;
    }

    /// @dev Adds the management fee due since the last accrual to what is owed, and restarts the clock at `assets`
    /// (total assets now). Shared by the core's `report` and the admin's fee setter, so that every second is charged
    /// once, at the rate in force during it, whichever adapter reports.
    function accrueManagementFee(Layout storage st, uint256 assets) internal {
        uint256 owed = managementFeeDue(st, assets) + st.managementFeeOwed;
        // Bounded by the books (uint128): a fee owed above that could never be paid.
        st.managementFeeOwed = uint128(Math.min(owed, type(uint128).max));
        st.managementFeeBase = uint128(Math.min(assets, type(uint128).max));
        st.lastFeeAccrual = uint64(block.timestamp);
    }

    /// @dev The management fee for the time since the last accrual, on the lower of total assets then and `assets`
    /// now (rounded down): a deposit or an exit just before the accrual cannot inflate it.
    function managementFeeDue(Layout storage st, uint256 assets) internal view returns (uint256) {
        return
            Math.mulDiv(
                Math.min(assets, st.managementFeeBase),
                uint256(st.managementFee) * (block.timestamp - st.lastFeeAccrual),
                ConstantsLib.BPS * ConstantsLib.YEAR
            );
    }

    // ------------------------------------------------------------------ the loss watch

    /// @dev The number of watched adapters.
    function watchCount(Layout storage st) internal view returns (uint256) {
        return st.lossWatch[0] >> 160;
    }

    /// @dev The i-th watched adapter (i < watchCount).
    function watchAt(Layout storage st, uint256 i) internal view returns (address) {
        return address(uint160(st.lossWatch[i]));
    }

    /// @dev Adds `adapter` to the watch. The caller bounds the adapter count by MAX_ADAPTERS (10).
    function watchAdd(Layout storage st, address adapter) internal {
        uint256 count = watchCount(st);
        if (count == 0) {
            st.lossWatch[0] = (uint256(1) << 160) | uint160(adapter);
        } else {
            st.lossWatch[count] = uint160(adapter);
            st.lossWatch[0] += uint256(1) << 160;
        }
    }

    /// @dev Removes `adapter` from the watch if it is there (the last entry takes its place).
    function watchRemove(Layout storage st, address adapter) internal {
        uint256 count = watchCount(st);
        for (uint256 i; i < count; ++i) {
            if (watchAt(st, i) != adapter) continue;
            uint256 last = uint160(st.lossWatch[count - 1]);
            uint256 newCount = count - 1;
            if (i != 0) st.lossWatch[i] = last;
            if (count > 1) delete st.lossWatch[count - 1];
            st.lossWatch[0] = newCount == 0 ? 0 : (newCount << 160) | (i == 0 ? last : uint160(st.lossWatch[0]));
            return;
        }
    }

    function requireEnabled(Layout storage st, address adapter) internal view returns (AdapterConfig storage config) {
        config = st.adapters[adapter];
        if (!config.enabled) revert IVaultErrors.AdapterNotEnabled(adapter);
    }
}
