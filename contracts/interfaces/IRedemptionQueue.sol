// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";

/// @title IERC7540Operator
/// @notice ERC-7540 operators: an account that may manage another account's requests (request, cancel, claim).
interface IERC7540Operator {
    /// @notice `controller` has approved (or revoked) `operator` to manage its requests.
    event OperatorSet(address indexed controller, address indexed operator, bool approved);

    /// @notice Approves or revokes `operator` for every request the caller owns or controls.
    /// @return Always true.
    function setOperator(address operator, bool approved) external returns (bool);

    /// @notice Whether `operator` may manage the requests of `controller`.
    function isOperator(address controller, address operator) external view returns (bool);
}

/// @title IERC7540Redeem
/// @notice ERC-7540 asynchronous redemption requests.
interface IERC7540Redeem {
    /// @notice `sender` has locked `shares` of `owner` to request a redemption `requestId`, controlled by `controller`.
    event RedeemRequest(
        address indexed controller,
        address indexed owner,
        uint256 indexed requestId,
        address sender,
        uint256 shares
    );

    /// @notice Takes `shares` from `owner` into escrow and queues a request to redeem them, controlled by
    /// `controller`. The caller must be `owner` or an operator `owner` approved; `owner` must have approved this
    /// contract for the shares on the vault's share token (ERC-20 `approve` or the vault's EIP-2612 `permit`).
    /// @dev An ERC-20 allowance that `owner` gave the caller on the share token is not enough on its own: this
    /// contract cannot spend an allowance given to someone else. Such a spender moves the shares to itself first and
    /// requests as their owner (ERC-7540 lets a vault accept either form of approval).
    /// @return requestId Always 0: a controller's requests are aggregated (ERC-7540's requestId 0 form).
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);

    /// @notice Shares of `controller` still waiting to be filled (requestId 0: requests are aggregated per
    /// controller; any other id has nothing). A partly filled request counts here only for its unfilled part.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 pendingShares);

    /// @notice Shares of `controller` filled and not yet claimed (requestId 0, as in `pendingRedeemRequest`).
    function claimableRedeemRequest(
        uint256 requestId,
        address controller
    ) external view returns (uint256 claimableShares);
}

/// @title IRedemptionQueue
/// @notice Asynchronous exits from one RollupVault for when its liquidity is locked (ERC-7540 redemption, with the
/// vault's own token as the share, ERC-7575 style), rationed fairly when liquidity is short.
/// @dev SETTLEMENT WINDOWS. Time is cut into windows of `WINDOW` seconds. A request joins the window open when it is
/// made; once that window has closed its shares join the settlement pool, together with what earlier windows left
/// unfilled. `settle` (anyone) redeems from the vault as much of the pool as the vault can pay now, in one redemption
/// at the vault's price, and fills every pooled request by the same fraction: filled / pooled. The unfilled part of
/// each stays pooled for the next settlement. So in a shortage, early and late requesters of the same window get the
/// same fraction at the same price; nobody can jump ahead by calling `settle` right after their own request (it only
/// serves closed windows); and a large request never blocks smaller ones (everyone is served pro rata at once).
/// ACCOUNTING. O(1) per settlement and per request: the pool keeps a running product of the unfilled fractions and a
/// running sum of assets per pooled share (the scheme of Liquity's stability pool); a controller's filled shares and
/// assets are worked out from these when it next acts or is viewed. Requests are aggregated per controller (ERC-7540
/// requestId 0). Rounding favours the queue: a controller's pending and claimable amounts are rounded down.
/// RESERVE. Liquidity the vault's `prepareRelease` frees while requests wait, and the vault's idle present when a
/// request is made, are reserved for the queue in the vault (`IVaultAdmin.queueReserve`, at most what the escrow is
/// worth): direct withdrawals cannot take it; a settlement consumes it. Every request calls the vault's
/// `reserveIdleForQueue`, so idle goes to the requests waiting when it was there (shared pro rata within their window
/// by the settlement); a cancelled request's part is released at once (the vault caps the reserve at the escrow's
/// worth).
/// LIVENESS. If requests have waited `livenessDelay` (vault setting, 1 to 14 days) with no keeper, allocator or owner
/// calling the vault's `prepareRelease`, anyone may, through this contract, report an adapter and prepare a release
/// for the amount queued. With `settle` open to anyone, a holder can exit with every operator silent.
/// REWARDS. Escrowed shares stop earning the vault's reward tokens for their requesters: the rewards distributor
/// credits this contract's address, and those rewards are not passed on. The share price, on the other hand, keeps
/// moving (gains and losses) until shares are filled. What the distributor owes this contract reaches the vault's
/// skim recipient through `claimRewards`; stray tokens can be swept there with `skim`.
interface IRedemptionQueue is IERC7540Redeem, IERC7540Operator, IERC165 {
    // ================================================================== types

    /// @notice An adapter of the vault with a release under way.
    struct Release {
        address adapter;
        uint256 assets;
        uint256 readyAt;
    }

    /// @notice What a holder can do now with one adapter's part of the vault (issue 13.6), when the vault cannot pay
    /// them directly: `liquid` is what the adapter can release for ordinary exits and this queue now (its
    /// `releasable`, at most its books); `inKind` is what the vault's `redeemInKind` can hand out now through it as
    /// `inKindToken` (zero for an adapter that cannot exit in kind); `bridgeable[i]` is how much of that token can be
    /// taken to the chain of the i-th endpoint id asked for (Stargate: the pool's credit toward it, spent by its
    /// `redeemSend`; the local eid gives what `redeem` pays here).
    struct ExitOption {
        address adapter;
        uint256 liquid;
        address inKindToken;
        uint256 inKind;
        uint256[] bridgeable;
    }

    // ================================================================== errors

    /// @notice A zero amount was given where a positive one is needed.
    error ZeroAmount();
    /// @notice The zero address was given where a real one is needed.
    error ZeroAddress();
    /// @notice `caller` is neither `account` nor an operator of `account`.
    error NotOwnerOrOperator(address caller, address account);
    /// @notice `shares` are worth no assets at the vault's price: such a request could never be filled.
    error RequestTooSmall(uint256 shares);
    /// @notice `controller` asked to cancel `requested` shares while only `pending` are pending.
    error ExceedsPending(address controller, uint256 requested, uint256 pending);
    /// @notice `controller` asked for `requested` while only `claimable` is claimable (shares or assets).
    error ExceedsClaimable(address controller, uint256 requested, uint256 claimable);
    /// @notice The claim would pay no assets.
    error ZeroAssets();
    /// @notice Previews have no meaning for an asynchronous redemption (ERC-7540).
    error AsyncRedeemOnly();
    /// @notice The vault has no skim recipient.
    error NoSkimRecipient();
    /// @notice The vault has no rewards distributor.
    error NoRewardsDistributor();
    /// @notice No closed window has shares waiting (`pooled` is 0), or the vault can pay none of them now.
    error NothingToSettle(uint256 pooled, uint256 payable_);
    /// @notice The vault refused to pay the pool (its liquidity estimate was optimistic, even from idle alone).
    error SettlementFailed(uint256 shares);
    /// @notice The liveness rights open at `opensAt` (type(uint256).max: no request is waiting).
    error LivenessNotOpen(uint256 opensAt);
    /// @notice The queued demand is already reserved in the vault: there is nothing more to release.
    error NothingToRelease();

    // ================================================================== events

    /// @notice Window `window` closed with `shares` requested in it; they joined the settlement pool.
    event WindowClosed(uint256 indexed window, uint256 shares);

    /// @notice A settlement filled `filledShares` of the `pooledShares` waiting, for `assets`: every pooled request
    /// was filled by the same fraction, at the same price.
    event Settled(address indexed caller, uint256 pooledShares, uint256 filledShares, uint256 assets);

    /// @notice `sender` cancelled `shares` of `controller`'s pending request; they went back to `controller`.
    event RedeemRequestCancelled(address indexed controller, address indexed sender, uint256 shares);

    /// @notice `sender` claimed `assets` for `shares` of `owner`'s filled requests (`owner` is the controller);
    /// the ERC-4626 event.
    event Withdraw(
        address indexed sender,
        address indexed receiver,
        address indexed owner,
        uint256 assets,
        uint256 shares
    );

    /// @notice `caller` used the liveness rights: `action` 0 reported `adapter`, 1 prepared a release of `assets`.
    event LivenessAction(address indexed caller, address indexed adapter, uint8 action, uint256 assets);

    /// @notice `amount` of stray `token` was sent to `to`.
    event Skimmed(address indexed token, address indexed to, uint256 amount);

    /// @notice The rewards `distributor` owed this contract in `tokens` (`amounts`) were claimed to `to`.
    event RewardsClaimed(address indexed distributor, address indexed to, address[] tokens, uint256[] amounts);

    // ================================================================== binding

    /// @notice The vault whose shares this queue redeems.
    function vault() external view returns (address);

    /// @notice The share token (ERC-7575 `share()`): the vault itself. The queue is a redeem-only entry point, so it
    /// does not advertise ERC-7575's full vault interface id through ERC-165.
    function share() external view returns (address);

    /// @notice The vault's asset, paid out on claims.
    function asset() external view returns (address);

    // ================================================================== settlement

    /// @notice Length of a settlement window, in seconds.
    function WINDOW() external view returns (uint256);

    /// @notice The window open now: requests made now join it. Windows are counted from this contract's deployment.
    function currentWindow() external view returns (uint256);

    /// @notice When the current window closes (its requests can be settled from then on).
    function windowClosesAt() external view returns (uint256);

    /// @notice Redeems from the vault as much of the settlement pool (the shares of closed windows still waiting) as
    /// the vault can pay now, and fills every pooled request by the same fraction. Anyone may call it, as often as
    /// they like: it serves closed windows only, at the vault's own price.
    /// @dev O(1) whatever the number of requests. Reverts with `NothingToSettle` when nothing is pooled or payable.
    /// @return shares The shares filled.
    /// @return assets The assets the vault paid for them.
    function settle() external returns (uint256 shares, uint256 assets);

    /// @notice Returns `shares` of `controller`'s pending (unfilled) shares to `controller`: the newest first (those
    /// of the open window), then pooled ones. Only the controller or its operator may; filled shares cannot be
    /// cancelled.
    function cancelRedeemRequest(uint256 shares, address controller) external;

    // ================================================================== liveness

    /// @notice When anyone may use the liveness rights: `livenessDelay` after the later of the moment requests
    /// started waiting and the last `prepareRelease` by an operator; type(uint256).max while nothing waits.
    function livenessOpensAt() external view returns (uint256);

    /// @notice Reports `adapter` on the vault (gains and losses, as a keeper's report would). Anyone, once
    /// `livenessOpensAt` has passed.
    function livenessReport(address adapter) external returns (uint256 gain, uint256 loss);

    /// @notice Prepares a release on `adapter` for the queued demand not yet reserved (the pending shares' worth
    /// less the vault's `queueReserve`); what it frees is reserved for the queue. Anyone, once `livenessOpensAt`
    /// has passed.
    /// @return assets The assets asked of the adapter.
    function livenessRelease(address adapter) external returns (uint256 assets);

    // ================================================================== claims (ERC-4626 signatures, ERC-7540 meaning)

    /// @notice Claims the assets of `shares` of `controller`'s filled shares and sends them to `receiver`. A
    /// controller filled at several settlements gets their average price. The caller must be `controller` or its
    /// operator.
    /// @return assets The assets sent (rounded down).
    function redeem(uint256 shares, address receiver, address controller) external returns (uint256 assets);

    /// @notice Claims exactly `assets` of `controller`'s filled assets and sends them to `receiver`. The caller must
    /// be `controller` or its operator.
    /// @return shares The filled shares consumed (rounded up).
    function withdraw(uint256 assets, address receiver, address controller) external returns (uint256 shares);

    /// @notice Filled shares `controller` can claim now.
    function maxRedeem(address controller) external view returns (uint256);

    /// @notice Assets `controller` can claim now.
    function maxWithdraw(address controller) external view returns (uint256);

    /// @notice Always reverts with `AsyncRedeemOnly` (ERC-7540).
    function previewRedeem(uint256 shares) external view returns (uint256);

    /// @notice Always reverts with `AsyncRedeemOnly` (ERC-7540).
    function previewWithdraw(uint256 assets) external view returns (uint256);

    // ================================================================== views

    /// @notice Assets a direct withdrawal could take from the vault in this block (`vault.liquidAssets()`).
    function liquidNow() external view returns (uint256);

    /// @notice Shares escrowed and not yet filled: the pool plus the open window.
    function pendingShares() external view returns (uint256);

    /// @notice Shares of closed windows waiting for a settlement.
    function pooledShares() external view returns (uint256);

    /// @notice Shares requested in the open window `openWindow` (they join the pool once it closes).
    function openShares() external view returns (uint256);

    /// @notice The window whose requests `openShares` counts.
    function openWindow() external view returns (uint256);

    /// @notice When shares started waiting without interruption (0 while none wait).
    function waitingSince() external view returns (uint256);

    /// @notice What the pending shares are worth at the vault's current price (rounded down).
    function pendingAssets() external view returns (uint256);

    /// @notice Assets of filled shares not yet claimed; this contract holds them.
    function claimableAssets() external view returns (uint256);

    /// @notice Pooled shares the vault could pay now (`vault.maxRedeem(queue)`, at most the pool): what `settle`
    /// would fill now, closed windows included even if no one has touched the queue since they closed.
    function fulfillableShares() external view returns (uint256);

    /// @notice Totals of `controller`: pending shares, and the shares and assets it can claim.
    function controllerTotals(
        address controller
    ) external view returns (uint256 pending, uint256 claimableShares, uint256 claimableAssets_);

    /// @notice For each adapter of the vault (withdraw queue order, at most ten) that implements
    /// `IAsyncAdapter.pendingRelease` and has a release under way: the assets on their way out and when they free.
    /// @dev Adapters that do not implement it, revert, or have nothing under way are left out.
    function releaseSchedule() external view returns (Release[] memory releases);

    /// @notice For each adapter of the vault (withdraw queue order, at most ten), the ways out it offers now: what it
    /// releases (`liquid`), what can be taken in kind and as which token, and how much of that token could cross to
    /// each of `dstEids` (see ExitOption). When local Stargate credit is short, `liquid` is small while `inKind` and
    /// `bridgeable` show the exit the vault's `redeemInKind` followed by the pool's `redeemSend` gives.
    /// @dev Adapters whose views revert count as offering nothing (zeros). `bridgeable` has one entry per `dstEids`
    /// entry for adapters with `inKind` > 0, and is empty otherwise. Holders add the vault's idle part themselves:
    /// `vault.maxWithdraw(holder)` is what an ordinary exit pays now.
    function exitOptions(uint32[] calldata dstEids) external view returns (ExitOption[] memory options);

    // ================================================================== housekeeping

    /// @notice Sends what this contract holds of `token` beyond what it owes to the vault's skim recipient: for the
    /// share, the balance above the pending shares; for the asset, the balance above the claimable assets; for any
    /// other token (rewards credited to the queue, for example), the whole balance. Anyone may call it.
    function skim(address token) external;

    /// @notice Claims what the vault's rewards distributor owes this contract in `tokens` (the rewards escrowed shares
    /// earned, see REWARDS) and sends it to the vault's skim recipient. Anyone may call it.
    /// @dev Without it those rewards would stay owed in the distributor for good: the distributor pays only the
    /// account that calls its `claim`. Reverts as the distributor's `claim` does (e.g. for a token it does not list).
    /// @return amounts What was claimed in each token, in the order of `tokens`.
    function claimRewards(address[] calldata tokens) external returns (uint256[] memory amounts);
}
