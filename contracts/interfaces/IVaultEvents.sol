// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVaultEvents
/// @notice Every event the vault core emits (ERC-20 and ERC-4626 events come from OpenZeppelin).
interface IVaultEvents {
    // ------------------------------------------------------------------ roles and timelock
    /// @notice `data` was submitted and may be executed from `executableAt`.
    event Submitted(bytes4 indexed selector, bytes data, uint256 executableAt);
    /// @notice A pending `data` was revoked by `by`.
    event Revoked(bytes4 indexed selector, bytes data, address indexed by);
    /// @notice A submitted `data` was executed after its timelock.
    event Accepted(bytes4 indexed selector, bytes data);
    event OwnerSet(address indexed owner);
    event CuratorSet(address indexed curator);
    event GuardianSet(address indexed guardian);
    event AllocatorSet(address indexed account, bool isAllocator);
    event KeeperSet(address indexed account, bool isKeeper);
    event TimelockSet(uint256 timelock);
    event FeeRecipientSet(address indexed feeRecipient);
    event SkimRecipientSet(address indexed skimRecipient);
    event RewardsDistributorSet(address indexed rewardsDistributor);

    // ------------------------------------------------------------------ configuration
    event AdapterAdded(address indexed adapter, uint256 absoluteCap, uint256 relativeCapBps);
    event AdapterRemoved(address indexed adapter);
    event AbsoluteCapSet(address indexed adapter, uint256 cap);
    event RelativeCapSet(address indexed adapter, uint256 capBps);
    event WithdrawQueueSet(address[] queue);
    event DepositLimitSet(uint256 depositLimit);
    event MinIdleSet(uint256 minIdle);
    event PerformanceFeeSet(uint256 feeBps);
    event ManagementFeeSet(uint256 feeBps);
    event ProfitUnlockTimeSet(uint256 profitUnlockTime);
    event MaxGainSet(uint256 maxGainBps);
    event HarvestIntervalSet(uint256 interval);

    // ------------------------------------------------------------------ state
    event PausedSet(address indexed by, bool paused);
    event Shutdown(address indexed by);
    /// @notice `assets` moved from idle to `adapter`.
    event Allocated(address indexed adapter, uint256 assets);
    /// @notice `requested` were asked of `adapter` and `received` came back to idle.
    event Deallocated(address indexed adapter, uint256 requested, uint256 received);
    /// @notice A report of `adapter`: what it holds now, the gain or loss realised, and the fees taken.
    event Reported(
        address indexed adapter,
        uint256 adapterAssets,
        uint256 gain,
        uint256 loss,
        uint256 performanceFee,
        uint256 managementFee,
        uint256 feeShares
    );
    /// @notice A `withdrawWithMaxLoss` / `redeemWithMaxLoss` by `owner` paid `loss` less than the book value of the
    /// shares burned: its share of the unrealised losses priced in (`adapter` is zero: the loss is vault-wide).
    event WithdrawLoss(address indexed owner, address indexed adapter, uint256 loss);
    /// @notice `loss` of `adapter`'s visible unrealised loss (its real assets being `adapterAssets`) was booked by
    /// `caller` outside a report: by `realizeLoss`, or pro rata to what an exit, deallocation or shutdown took.
    /// Booking a visible loss leaves the share price unchanged: it was already priced in.
    event LossRealized(address indexed adapter, address indexed caller, uint256 adapterAssets, uint256 loss);
    /// @notice `amount` of `token` left the vault for `to`.
    event Skimmed(address indexed token, address indexed to, uint256 amount);
    /// @notice `adapter` was harvested: reward `tokens` and `amounts` went to the rewards distributor.
    event Harvested(address indexed adapter, address indexed caller, address[] tokens, uint256[] amounts);
    /// @notice `caller` asked `adapter` to start freeing `assets`.
    event ReleasePrepared(address indexed adapter, address indexed caller, uint256 assets);
    /// @notice The vault's voting power in its asset (an ERC20Votes token) was delegated to `delegatee`.
    event VotesDelegated(address indexed delegatee);
    /// @notice The redemption queue whose requests get reserved liquidity and liveness rights is now `queue`.
    event RedemptionQueueSet(address indexed queue);
    /// @notice The liveness delay is now `delay` seconds.
    event LivenessDelaySet(uint256 delay);
    /// @notice Liquidity held back for the redemption queue is now `reserve` (raised by `prepareRelease` while
    /// requests wait, lowered as the queue redeems).
    event QueueReserveSet(uint256 reserve);
    /// @notice `caller` burned `shares` of `owner` and `receiver` got `sent` of `adapter`'s in-kind token (1:1 with the
    /// asset): the shares were worth `assets` at the vault's price, of which `penalty` stayed in the vault.
    event InKindExit(
        address indexed caller,
        address indexed receiver,
        address indexed owner,
        address adapter,
        uint256 shares,
        uint256 assets,
        uint256 penalty,
        uint256 sent
    );
    /// @notice The in-kind exit penalty is now `bps` basis points of what the shares are worth.
    event InKindPenaltySet(uint256 bps);
    /// @notice `controller` approved (`approved` true) or revoked `operator` to deposit its assets (ERC-7540).
    event OperatorSet(address indexed controller, address indexed operator, bool approved);
}
