// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVaultAdmin
/// @notice Roles, timelock and configuration of a vault. Implemented by VaultAdmin, which the vault delegatecalls
/// for every selector it does not have itself: call these on the vault's address.
/// @dev TIMELOCK. A risk-raising call must first be `submit`ted as its exact calldata; it executes once, from the
/// later of submission + the timelock at submission and submission + the timelock in force at execution, and expires
/// EXECUTION_WINDOW (14 days) after that. The guardian (or owner) may `revoke` it before then, except a `setGuardian`,
/// which only the owner may revoke (the guardian cannot veto its own replacement). Calls that lower risk (lowering
/// a cap or a fee, revoking a role, raising the timelock or the profit-unlock time) need no submission. While the
/// timelock is zero a risk-raising call may also execute directly, which is how a fresh vault is configured before
/// it goes live.
/// Roles: the owner appoints the others and may act in each of them; the curator manages adapters, caps and fees;
/// allocators move assets between idle and adapters and order the withdraw queue; the guardian pauses, shuts down
/// and revokes pending changes; keepers report and harvest.
interface IVaultAdmin {
    // ================================================================== state views

    /// @notice Appoints every other role; may also act in each of them.
    function owner() external view returns (address);

    /// @notice Manages adapters, caps, limits and fees.
    function curator() external view returns (address);

    /// @notice Pauses, shuts down and revokes pending changes.
    function guardian() external view returns (address);

    /// @notice Whether `account` may allocate, deallocate and order the withdraw queue.
    function isAllocator(address account) external view returns (bool);

    /// @notice Whether `account` may report and harvest at any time.
    function isKeeper(address account) external view returns (bool);

    /// @notice Delay a risk-raising change waits between submission and execution.
    function timelock() external view returns (uint256);

    /// @notice Receives the fee shares.
    function feeRecipient() external view returns (address);

    /// @notice Receives tokens swept by `skim`.
    function skimRecipient() external view returns (address);

    /// @notice Streams harvested reward tokens to holders; settled on every share balance change.
    function rewardsDistributor() external view returns (address);

    /// @notice Most total assets deposits may bring the vault to (type(uint128).max: no limit).
    function depositLimit() external view returns (uint256);

    /// @notice Whether deposits, mints and allocation are paused.
    function paused() external view returns (bool);

    /// @notice Whether the vault is shut down for good.
    function isShutdown() external view returns (bool);

    /// @notice Idle assets allocation must leave in the vault.
    function minIdle() external view returns (uint256);

    /// @notice Performance fee on realised gains, in basis points.
    function performanceFee() external view returns (uint256);

    /// @notice Yearly management fee in basis points of total assets. It accrues at vault level at every report
    /// (whichever adapter) and every fee change, on the lower of total assets then and at the previous accrual, and is
    /// paid out of gains only; what a gain cannot pay is carried to later gains.
    function managementFee() external view returns (uint256);

    /// @notice Management fee accrued and not yet paid, including what has accrued since the last report.
    function managementFeeOwed() external view returns (uint256);

    /// @notice Largest gain reports may realise per GAIN_WINDOW (1 day), in basis points of total assets. The
    /// allowance refills linearly; a report whose gain exceeds what is left books the part that fits and leaves the
    /// rest on the adapter's books for later reports.
    function maxGainBps() external view returns (uint256);

    /// @notice Gain reports may realise now under `maxGainBps`.
    function gainAllowance() external view returns (uint256);

    /// @notice Highest gross assets (idle + debt, locked profit included) per share, scaled by 1e36, at which a
    /// report has left the vault. The performance fee is charged only on gains that lift the price above it, never
    /// on the recovery of a reported loss.
    function highWaterMark() external view returns (uint256);

    /// @notice Time over which a reported gain unlocks into the share price.
    function profitUnlockTime() external view returns (uint256);

    /// @notice Time after an adapter's last harvest from which anyone may harvest it.
    function harvestInterval() external view returns (uint256);

    /// @notice Last time an adapter was harvested.
    function lastHarvest(address adapter) external view returns (uint256);

    /// @notice Last time the management fee accrued (a report or a fee change), from which it next accrues.
    function lastFeeAccrual() external view returns (uint256);

    /// @notice The configuration and recorded assets of `adapter`.
    /// @return enabled Whether the adapter is in the vault.
    /// @return debt The assets the vault's books say the adapter holds.
    /// @return absoluteCap The most the adapter may hold.
    /// @return relativeCapBps The most the adapter may hold as a share of total assets, in basis points.
    function adapterConfig(
        address adapter
    ) external view returns (bool enabled, uint256 debt, uint256 absoluteCap, uint256 relativeCapBps);

    /// @notice The adapters in withdraw order; this is also the list of every enabled adapter.
    function withdrawQueue() external view returns (address[] memory);

    // ================================================================== timelock

    /// @notice Queues the call `data` to this vault; it may be executed once the timelock has passed.
    function submit(bytes calldata data) external;

    /// @notice Time from which the submitted call `data` may be executed (the later of submission + the timelock at
    /// submission and submission + the timelock now), or 0 if it was never submitted or has been consumed or revoked.
    function executableAt(bytes calldata data) external view returns (uint256);

    /// @notice Time after which the submitted call `data` can no longer be executed (`executableAt` +
    /// EXECUTION_WINDOW), or 0 if it is not pending. An expired call may be submitted again.
    function expiresAt(bytes calldata data) external view returns (uint256);

    /// @notice Drops a pending timelocked call. The guardian or the owner may revoke any call but `setGuardian`,
    /// which only the owner may revoke.
    function revoke(bytes calldata data) external;

    // ================================================================== owner

    /// @notice Hands ownership to `newOwner` (timelocked).
    function setOwner(address newOwner) external;

    /// @notice Appoints the curator (timelocked unless removing).
    function setCurator(address newCurator) external;

    /// @notice Appoints the guardian (timelocked).
    function setGuardian(address newGuardian) external;

    /// @notice Grants (timelocked) or revokes (immediate) the allocator role.
    function setAllocator(address account, bool allowed) external;

    /// @notice Grants (timelocked) or revokes (immediate) the keeper role.
    function setKeeper(address account, bool allowed) external;

    /// @notice Sets the timelock: raising it is immediate, lowering it is timelocked.
    function setTimelock(uint256 newTimelock) external;

    /// @notice Sets the recipient of fee shares.
    function setFeeRecipient(address newFeeRecipient) external;

    /// @notice Sets the recipient of swept tokens (timelocked).
    function setSkimRecipient(address newSkimRecipient) external;

    /// @notice Delegates the voting power of the asset the vault holds idle (an ERC20Votes token such as OP or ARB)
    /// to `delegatee`, so that governance power parked in the vault stays useful.
    /// @dev Covers only tokens held by the vault itself: tokens inside an adapter vote through that adapter, and
    /// tokens inside a staking contract vote as that contract decides. Reverts if the asset is not ERC20Votes.
    function delegateVotes(address delegatee) external;

    /// @notice Sets the rewards distributor that harvested tokens go to and that tracks share balances
    /// (timelocked, removing included: without a distributor harvested tokens land in the vault, for `skim`).
    function setRewardsDistributor(address newDistributor) external;

    // ================================================================== curator

    /// @notice Adds `adapter` to the vault and the end of the withdraw queue with its caps (timelocked).
    function addAdapter(address adapter, uint256 absoluteCap, uint256 relativeCapBps) external;

    /// @notice Removes `adapter`, which must hold no recorded assets.
    function removeAdapter(address adapter) external;

    /// @notice Sets the absolute cap of `adapter`: raising it is timelocked, lowering it immediate.
    function setAbsoluteCap(address adapter, uint256 cap) external;

    /// @notice Sets the relative cap of `adapter` in basis points: raising it is timelocked, lowering immediate.
    function setRelativeCap(address adapter, uint256 capBps) external;

    /// @notice Sets the most total assets deposits may bring the vault to: raising it is timelocked.
    function setDepositLimit(uint256 limit) external;

    /// @notice Sets the idle assets allocation must leave in the vault.
    function setMinIdle(uint256 newMinIdle) external;

    /// @notice Sets the performance fee on realised gains: raising it is timelocked.
    function setPerformanceFee(uint256 feeBps) external;

    /// @notice Sets the yearly management fee: raising it is timelocked. Time before the change stays owed at the old
    /// rate.
    function setManagementFee(uint256 feeBps) external;

    /// @notice Sets the time over which a reported gain unlocks into the share price: shortening it is timelocked.
    function setProfitUnlockTime(uint256 time) external;

    /// @notice Sets the largest gain reports may realise per GAIN_WINDOW, in basis points of total assets: raising
    /// it is timelocked. It stops an adapter that reports wrong from inflating the share price.
    function setMaxGain(uint256 newMaxGainBps) external;

    /// @notice Sets the time after an adapter's last harvest from which anyone may harvest it.
    function setHarvestInterval(uint256 interval) external;

    // ================================================================== allocator

    /// @notice Reorders the withdraw queue; `queue` must be a permutation of the enabled adapters.
    function setWithdrawQueue(address[] calldata queue) external;

    // ================================================================== guardian

    /// @notice Pauses or resumes deposits, mints and allocation. Withdrawals are never paused.
    function setPaused(bool newPaused) external;

    // ================================================================== redemption queue and liveness

    /// @notice The RedemptionQueue of this vault (zero: none). Liquidity released for its requests is reserved for
    /// it, and it may `report` and `prepareRelease` on behalf of anyone once the liveness delay has passed.
    function redemptionQueue() external view returns (address);

    /// @notice Liquidity reserved for the redemption queue: what `prepareRelease` freed while requests waited and the
    /// idle assigned to them (`reserveIdleForQueue`, run on every request), never more than the queue's escrowed
    /// shares are worth. Direct withdrawals cannot take it; the queue's redemptions do.
    function queueReserve() external view returns (uint256);

    /// @notice Assigns idle liquidity to the redemption requests waiting in the queue: the reserve becomes
    /// max(what is reserved now, min(idle, what the queue's escrowed shares are worth at the vault's price, rounded
    /// down)), never above that worth, at most type(uint96).max. Returns the new reserve; emits `QueueReserveSet`
    /// when it changes. Anyone may call it (it can only protect waiting requests); the queue calls it on every
    /// request. With no queue set it does nothing and returns 0.
    /// @dev Fair to those who stay and to those who wait: idle that was present while requests waited goes to them
    /// (pro rata within their settlement window, as the queue fills every pooled share by the same fraction) rather
    /// than to whoever withdraws directly first. A cancelled request gives its part back at once: the reserve is
    /// read capped at what the escrow is worth (`queueReserve`, `maxWithdraw`, `liquidAssets`), and the stored excess
    /// is dropped here or at the next direct exit.
    function reserveIdleForQueue() external returns (uint256 reserve);

    /// @notice How long redemption requests must wait, with no keeper, allocator or owner calling `prepareRelease`,
    /// before anyone may report and prepare releases through the queue (1 to 14 days; 7 until the owner sets it).
    function livenessDelay() external view returns (uint256);

    /// @notice Last time a keeper, allocator or owner called `prepareRelease`.
    function lastKeeperAction() external view returns (uint256);

    /// @notice Sets the redemption queue (owner; timelocked, the zero address included). The queue must serve this
    /// vault. The reserve held for the previous queue is dropped.
    function setRedemptionQueue(address queue) external;

    /// @notice Sets the liveness delay (owner; 1 to 14 days; lowering it is timelocked).
    function setLivenessDelay(uint256 delay) external;

    // ================================================================== in-kind exits (IVaultCore.redeemInKind)

    /// @notice Penalty on in-kind exits, in basis points of what the shares are worth (at most 200 = 2%); it stays in
    /// the vault, so it raises the price of those who stay. Zero until the curator sets it.
    function inKindPenalty() external view returns (uint256);

    /// @notice What `redeemInKind(adapter, shares, ...)` would give now through any adapter: the shares' worth at the
    /// vault's price (`convertToAssets`, as `redeem`), the penalty (rounded up) and `out` = assets - penalty, the
    /// in-kind token the receiver gets. Does not check that an adapter can pay it (see `maxRedeemInKind`).
    function previewRedeemInKind(uint256 shares) external view returns (uint256 assets, uint256 penalty, uint256 out);

    /// @notice The most shares of `owner` that `redeemInKind` through `adapter` can burn now: their whole balance, or
    /// fewer when `inKindAvailable(adapter)` is smaller than what they would take; zero for an adapter that cannot
    /// exit in kind.
    /// @dev One case is not modelled: while liquidity reserved for the redemption queue is partly covered by what the
    /// adapter itself releases now, the exit also may not cut that (it reverts `InsufficientLiquidity`).
    function maxRedeemInKind(address adapter, address owner) external view returns (uint256 shares);

    /// @notice What an in-kind exit through `adapter` can take now, in the asset: the smaller of its books and its
    /// in-kind holdings (`IInKindAdapter.inKindAvailable`); zero for an adapter that is not enabled, holds nothing,
    /// does not implement IInKindAdapter, or whose real assets are below its books.
    function inKindAvailable(address adapter) external view returns (uint256);

    /// @notice Sets the in-kind exit penalty (curator; at most 200 bps, else `InKindPenaltyTooHigh`; raising it is
    /// timelocked, lowering it immediate). Holders are also protected against a change by `minOut`.
    function setInKindPenalty(uint256 bps) external;

    // ================================================================== anyone

    /// @notice Sends the vault's whole balance of `token`, which must not be the asset, to the skim recipient.
    function skim(address token) external;
}
