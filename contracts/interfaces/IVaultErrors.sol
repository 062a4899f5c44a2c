// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVaultErrors
/// @notice Every custom error the vault core reverts with. Adapter errors live in each adapter's interface.
interface IVaultErrors {
    /// @notice A zero amount was passed where a positive one is needed.
    error ZeroAmount();
    /// @notice A deposit or mint would mint no shares, or a withdrawal would burn none.
    error ZeroShares();
    /// @notice The zero address was passed where a real one is needed.
    error ZeroAddress();
    /// @notice `account` has no code where a contract is needed.
    error NoCode(address account);
    /// @notice `caller` lacks the role the function needs.
    error Unauthorized(address caller);
    /// @notice Deposits and allocation are paused.
    error Paused();
    /// @notice The vault has been shut down for good: no deposits or allocation.
    error IsShutdown();
    /// @notice The value is already set.
    error AlreadySet();
    /// @notice `value` exceeds the bound `max`.
    error AboveMax(uint256 value, uint256 max);
    /// @notice The call was not submitted to the timelock first.
    error NotSubmitted();
    /// @notice The call was submitted but its timelock ends at `executableAt`.
    error TimelockNotElapsed(uint256 executableAt);
    /// @notice The submitted call could only be executed until `expiredAt`; submit it again.
    error SubmissionExpired(uint256 expiredAt);
    /// @notice The same call is already pending.
    error AlreadyPending();
    /// @notice `adapter` is not enabled in this vault.
    error AdapterNotEnabled(address adapter);
    /// @notice `adapter` is already enabled.
    error AdapterAlreadyEnabled(address adapter);
    /// @notice `adapter` serves another vault or another asset.
    error AdapterMismatch(address adapter);
    /// @notice The adapter list is full.
    error TooManyAdapters();
    /// @notice `adapter` still holds `debt` of the vault's assets.
    error AdapterHasDebt(address adapter, uint256 debt);
    /// @notice The new withdraw queue is not a permutation of the enabled adapters.
    error InvalidQueue();
    /// @notice Allocating would take `adapter` to `assets`, above its cap `cap`.
    error CapExceeded(address adapter, uint256 assets, uint256 cap);
    /// @notice Allocating would leave idle assets below the minimum idle buffer.
    error MinIdleBreached(uint256 idleAfter, uint256 minIdle);
    /// @notice The withdraw queue could not release the last `missing` assets a withdrawal needs.
    error InsufficientLiquidity(uint256 missing);
    /// @notice More assets were asked than are idle.
    error InsufficientIdle(uint256 requested, uint256 idle);
    /// @notice Deallocating more than the adapter's recorded assets.
    error AboveDebt(address adapter, uint256 requested, uint256 debt);
    /// @notice A withdrawal would realise `loss`, above the bound `maxLoss` the caller accepted.
    error MaxLossExceeded(uint256 loss, uint256 maxLoss);
    /// @notice The asset itself cannot be swept.
    error CannotSkimAsset();
    /// @notice Harvesting is not open to everyone until `openAt`.
    error HarvestTooSoon(uint256 openAt);
    /// @notice `value` is below the lowest allowed, `min`.
    error BelowMin(uint256 value, uint256 min);
    /// @notice `queue` does not serve this vault.
    error QueueMismatch(address queue);
    /// @notice `adapter`'s real assets are not visibly below its books (or cannot be read): nothing to realise.
    error NoVisibleLoss(address adapter);
    /// @notice After a deposit the vault would hold `balance` of the asset, below its idle books `idle`: an asset that
    /// delivers less than asked (fee-on-transfer) or shrinks balances (rebasing) is refused.
    error IdleUnbacked(uint256 balance, uint256 idle);
    /// @notice A call to `adapter` failed with too little gas left to tell its fault from the caller's gas limit:
    /// retry with more gas.
    error AdapterCallStarved(address adapter);
    /// @notice `adapter` cannot hand its position out in kind (it does not implement IInKindAdapter: a vote-escrow
    /// lock, a cooldown stake, an ERC-4626 target).
    error InKindUnsupported(address adapter);
    /// @notice `adapter`'s real assets `real` are below its books `debt` (or cannot be read): its position is not
    /// handed out at book value.
    error InKindLoss(address adapter, uint256 real, uint256 debt);
    /// @notice An in-kind exit would take `assets` from `adapter`, above the `available` it can hand out (the smaller
    /// of its books and its in-kind holdings).
    error InKindAboveAvailable(address adapter, uint256 assets, uint256 available);
    /// @notice An in-kind exit would hand out `out`, below the caller's floor `minOut`.
    error InKindBelowMin(uint256 out, uint256 minOut);
    /// @notice The in-kind exit penalty `bps` is above the cap `max` (200 = 2%).
    error InKindPenaltyTooHigh(uint256 bps, uint256 max);
    /// @notice A bounded deposit (`depositMin`) would mint `shares`, fewer than `minShares`.
    error MinSharesNotMet(uint256 shares, uint256 minShares);
    /// @notice A bounded mint (`mintMax`) would cost `assets`, more than `maxAssets`.
    error MaxAssetsExceeded(uint256 assets, uint256 maxAssets);
    /// @notice A bounded withdrawal (`withdrawMax`) would burn `shares`, more than `maxShares`.
    error MaxSharesExceeded(uint256 shares, uint256 maxShares);
    /// @notice A bounded redemption (`redeemMin`) would pay `assets`, less than `minAssets`.
    error MinAssetsNotMet(uint256 assets, uint256 minAssets);
    /// @notice `caller` is neither `owner` nor an operator `owner` approved (`setOperator`): it may not deposit
    /// `owner`'s assets.
    error NotOperator(address owner, address caller);
    /// @notice `operator` cannot be approved: the zero address or the caller itself.
    error InvalidOperator(address operator);
}
