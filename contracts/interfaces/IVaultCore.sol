// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVaultCore
/// @notice The vault's own functions beyond ERC-4626: books, exits with a loss bound, allocation, reports,
/// harvests and the emergency path. Implemented by RollupVault itself.
interface IVaultCore {
    // ================================================================== accounting views

    /// @notice Assets held by the vault itself and not allocated.
    function totalIdle() external view returns (uint256);

    /// @notice Sum of what each adapter held at its last report, adjusted by allocations since.
    function totalDebt() external view returns (uint256);

    /// @notice Part of reported gains not yet unlocked into the share price.
    function lockedProfit() external view returns (uint256);

    /// @notice Time at which all currently locked profit is unlocked.
    function unlockEnd() external view returns (uint256);

    /// @notice Assets that withdrawals could take out in this block: idle plus what each adapter can release now,
    /// each counted at most at its value (its debt, or its real assets when lower). Adapters whose views revert,
    /// return junk or burn their gas count as nothing.
    function liquidAssets() external view returns (uint256);

    /// @notice Sum over adapters of how far their real assets are below their books, where the gap is beyond
    /// rounding dust (one millionth of the debt plus one wei). It is priced in at once: totalAssets =
    /// idle + debt - max(unrealizedLoss, lockedProfit). Adapters that declared they cannot lose are not read.
    function unrealizedLoss() external view returns (uint256);

    // ================================================================== exits with a loss bound

    /// @notice `withdraw` with a bound on the unrealised losses priced into it: the shares burned are worth `assets`
    /// at the current price, which counts every visibly losing adapter at its real value; their book value (every
    /// adapter at its debt) less `assets` is the caller's loss, and the call reverts with `MaxLossExceeded` if that
    /// is above `maxLossBps` of the book value. Reverts like `withdraw` otherwise, and with `AboveMax` for a bound
    /// above 10,000.
    /// @return shares The shares burned.
    function withdrawWithMaxLoss(
        uint256 assets,
        address receiver,
        address owner,
        uint256 maxLossBps
    ) external returns (uint256 shares);

    /// @notice `redeem` with the same loss rule as `withdrawWithMaxLoss`: pays what the shares are worth at the
    /// current price, and reverts if that is more than `maxLossBps` below their book value.
    /// @return assets The assets the receiver got.
    function redeemWithMaxLoss(
        uint256 shares,
        address receiver,
        address owner,
        uint256 maxLossBps
    ) external returns (uint256 assets);

    // ================================================================== exit in kind

    /// @notice Burns `shares` of `owner` and hands `receiver` their worth in `adapter`'s position itself (for the
    /// Stargate V2 adapter: the pool's LP, unstaked from the farm, 1:1 with the asset), less the in-kind penalty,
    /// which stays in the vault. For when the vault cannot pay (the pool's local credit is drained): the receiver
    /// redeems the LP later, or bridges it out at once with the pool's `redeemSend` over a path that has credit.
    /// @dev Priced like `redeem`: assets = the shares' worth at the current price (visible losses included, rounded
    /// down), penalty = assets * inKindPenalty / 10,000 rounded up, out = assets - penalty leaves as the adapter's
    /// token and lowers its debt and the vault's by `out`; the penalty lifts the price of those who stay. Takes no
    /// idle: liquidity reserved for the redemption queue is untouched (an exit that would cut the adapter's liquid
    /// part below what the reserve needs reverts `InsufficientLiquidity`). The holder's reward stream is settled at
    /// the burn, after the adapter call. Works while paused or shut down, as every exit. The caller spends its
    /// allowance when it is not `owner`. Reverts with `ZeroShares`, `ZeroAddress` (receiver), `AdapterNotEnabled`,
    /// `InKindUnsupported` (an adapter without IInKindAdapter: vote-escrow, staking, ERC-4626), `InKindLoss` (its
    /// real assets below its books), `ZeroAmount` (nothing would leave), `InKindAboveAvailable`, `InKindBelowMin`,
    /// and the ERC-20 allowance and balance errors.
    /// @param adapter The enabled IInKindAdapter whose position is handed out.
    /// @param shares The shares to burn.
    /// @param receiver Who gets the in-kind token.
    /// @param owner Whose shares are burned.
    /// @param minOut The least of the in-kind token the receiver accepts (protects against a penalty change or a
    /// price move between quote and execution).
    /// @return out The in-kind token sent to `receiver`.
    function redeemInKind(
        address adapter,
        uint256 shares,
        address receiver,
        address owner,
        uint256 minOut
    ) external returns (uint256 out);

    // ================================================================== allocator

    /// @notice Moves `assets` from idle into `adapter`, within its caps and the minimum idle buffer.
    function allocate(address adapter, uint256 assets) external;

    /// @notice Asks `adapter` to return up to `assets` to idle. From an adapter with a visible loss, its debt falls
    /// by the book slice of what came back (received * debt / real assets) and that slice's loss is booked, which
    /// leaves the share price unchanged. An adapter whose `deallocate` reverts or burns its gas returns nothing.
    /// @return received The assets that came back.
    function deallocate(address adapter, uint256 assets) external returns (uint256 received);

    // ================================================================== keeper

    /// @notice Realises the gain or loss of `adapter` since its last report. A gain is booked up to the gain
    /// allowance (`maxGainBps` of total assets per GAIN_WINDOW); the rest stays unbooked for later reports. A booked
    /// gain pays the performance fee (on the part above the high-water mark) and the management fee owed, and the
    /// rest unlocks linearly over the profit-unlock time; losses burn locked profit first, then lower the share price.
    /// @return gain The gain booked (at most the allowance).
    /// @return loss The loss realised.
    function report(address adapter) external returns (uint256 gain, uint256 loss);

    /// @notice Books `adapter`'s visible unrealised loss (its real assets below its debt beyond dust) at once, as a
    /// report would: locked profit burns first, then the debt falls. Anyone may call it; it leaves the share price
    /// unchanged (the loss was already priced in). Reverts with `NoVisibleLoss` when there is none to book.
    /// @return loss The loss booked.
    function realizeLoss(address adapter) external returns (uint256 loss);

    /// @notice Collects the reward tokens of `adapter` into the rewards distributor. Keepers may call it at any
    /// time; anyone may once `harvestInterval` has passed since the adapter's last harvest.
    /// @dev Without a distributor, rewards in the asset stay in the adapter for the next report and other reward
    /// tokens land in the vault, where `skim` forwards them to the skim recipient.
    function harvest(address adapter) external returns (address[] memory tokens, uint256[] memory amounts);

    /// @notice Asks `adapter`, an IAsyncAdapter whose exits need time (cooldowns, lock expiries), to start freeing
    /// `assets`, so that they become releasable for withdrawals later. Allocators, keepers and the owner may call it.
    /// @dev Moves no assets and changes no books: the vault's `maxWithdraw` grows once the adapter's `releasable`
    /// does. An adapter that is not an IAsyncAdapter makes the call revert.
    function prepareRelease(address adapter, uint256 assets) external;

    // ================================================================== guardian

    /// @notice Shuts the vault down for good: deposits and allocation stop, every adapter is asked to return
    /// what it can release, and every holder keeps the ability to exit.
    function shutdown() external;
}
