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
    /// @return requestId The request's id, never 0 (0 names a controller's aggregate in the views).
    function requestRedeem(uint256 shares, address controller, address owner) external returns (uint256 requestId);

    /// @notice Shares of request `requestId` of `controller` still waiting for fulfilment; with `requestId` 0, the
    /// sum over all of `controller`'s pending requests.
    function pendingRedeemRequest(uint256 requestId, address controller) external view returns (uint256 pendingShares);

    /// @notice Shares of request `requestId` of `controller` fulfilled and not yet claimed; with `requestId` 0, the
    /// sum over all of `controller`'s requests.
    function claimableRedeemRequest(
        uint256 requestId,
        address controller
    ) external view returns (uint256 claimableShares);
}

/// @title IRedemptionQueue
/// @notice Asynchronous exits from one RollupVault for when its liquidity is locked (ERC-7540 redemption, with the
/// vault's own token as the share, ERC-7575 style). Holders escrow shares in a request; requests are fulfilled
/// strictly first in, first out, each at the share price of the moment it is fulfilled; controllers then claim the
/// assets with the ERC-4626 `redeem` / `withdraw` signatures.
/// @dev REQUEST IDS. Every request has its own id (1, 2, ...), served in id order. The ERC-7540 views accept an id
/// (that request) or 0 (the controller's total). Claims (`redeem`, `withdraw`) take from the controller's fulfilled
/// requests oldest first, each at the price recorded when it was fulfilled, so one request never pays out another's
/// assets. `maxRedeem` / `maxWithdraw` give the controller's claimable totals.
/// FULFILMENT. Anyone may call `fulfill`: it only redeems escrowed shares from the vault for the queue, at the
/// vault's own price, when the vault can pay them now, which every holder could do with their own shares anyway.
/// The request at the head must be served whole: if the vault cannot pay it, nothing behind it is served either.
/// The vault does not reserve liquidity for the queue: a holder redeeming directly can take freed liquidity first,
/// so keepers should call `fulfill` as soon as liquidity returns (for example in the same transaction).
/// Liquidity sitting in an adapter with an unrealised loss is not used: plain vault redemptions skip such adapters.
/// REWARDS. Escrowed shares stop earning the vault's reward tokens for their requesters: the rewards distributor
/// credits this contract's address, and those rewards are not passed on. The share price, on the other hand, keeps
/// moving (gains and losses) until a request is fulfilled. What the distributor owes this contract reaches the vault's
/// skim recipient through `claimRewards`; stray tokens can be swept there with `skim`.
interface IRedemptionQueue is IERC7540Redeem, IERC7540Operator, IERC165 {
    // ================================================================== types

    /// @notice Where a request stands.
    enum Status {
        None,
        Pending,
        Claimable,
        Claimed,
        Cancelled
    }

    /// @notice One request. While pending, `shares` are escrowed and `assets` is 0; once fulfilled, `shares` and
    /// `assets` are what is left to claim (both fall as the controller claims).
    struct Request {
        address controller;
        Status status;
        uint128 shares;
        uint128 assets;
    }

    /// @notice An adapter of the vault with a release under way.
    struct Release {
        address adapter;
        uint256 assets;
        uint256 readyAt;
    }

    // ================================================================== errors

    /// @notice A zero amount was given where a positive one is needed.
    error ZeroAmount();
    /// @notice The zero address was given where a real one is needed.
    error ZeroAddress();
    /// @notice `caller` is neither `account` nor an operator of `account`.
    error NotOwnerOrOperator(address caller, address account);
    /// @notice `shares` are worth no assets at the vault's price: such a request could never be fulfilled.
    error RequestTooSmall(uint256 shares);
    /// @notice Request `requestId` is not pending (unknown, fulfilled, claimed or cancelled).
    error NotPending(uint256 requestId);
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

    // ================================================================== events

    /// @notice Request `requestId` was fulfilled: its `shares` were redeemed from the vault for `assets`.
    event RedeemRequestFulfilled(uint256 indexed requestId, address indexed controller, uint256 shares, uint256 assets);

    /// @notice Request `requestId` was cancelled by `sender` and its `shares` returned to `controller`.
    event RedeemRequestCancelled(
        uint256 indexed requestId,
        address indexed controller,
        address indexed sender,
        uint256 shares
    );

    /// @notice Request `requestId` could not be fulfilled because its shares had become worth no assets; they
    /// were returned to `controller` so the queue behind it can move on.
    event RedeemRequestRefunded(uint256 indexed requestId, address indexed controller, uint256 shares);

    /// @notice `sender` claimed `assets` for `shares` of `owner`'s fulfilled requests (`owner` is the controller);
    /// the ERC-4626 event.
    event Withdraw(
        address indexed sender,
        address indexed receiver,
        address indexed owner,
        uint256 assets,
        uint256 shares
    );

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

    // ================================================================== fulfilment

    /// @notice Serves up to `maxRequests` entries from the head of the queue, in order. Each pending request is
    /// redeemed whole from the vault at the current price if the vault can pay it now; the first that cannot be paid
    /// stops the walk. Cancelled entries are skipped and count towards `maxRequests`.
    /// @dev Open to anyone (see the contract note). A request whose shares have become worth no assets is refunded
    /// to its controller instead of blocking the queue.
    /// @return served Requests fulfilled in this call.
    /// @return assets Assets the vault paid for them.
    function fulfill(uint256 maxRequests) external returns (uint256 served, uint256 assets);

    /// @notice Cancels pending request `requestId` and returns its escrowed shares to its controller. Only the
    /// controller or its operator may; a fulfilled request can no longer be cancelled.
    function cancelRedeemRequest(uint256 requestId) external;

    // ================================================================== claims (ERC-4626 signatures, ERC-7540 meaning)

    /// @notice Claims the assets of `shares` of `controller`'s fulfilled requests, oldest first, each at the price
    /// of its fulfilment, and sends them to `receiver`. The caller must be `controller` or its operator.
    /// @return assets The assets sent.
    function redeem(uint256 shares, address receiver, address controller) external returns (uint256 assets);

    /// @notice Claims exactly `assets` from `controller`'s fulfilled requests, oldest first, and sends them to
    /// `receiver`. The caller must be `controller` or its operator.
    /// @return shares The fulfilled shares consumed (rounded up).
    function withdraw(uint256 assets, address receiver, address controller) external returns (uint256 shares);

    /// @notice Fulfilled shares `controller` can claim now.
    function maxRedeem(address controller) external view returns (uint256);

    /// @notice Assets `controller` can claim now.
    function maxWithdraw(address controller) external view returns (uint256);

    /// @notice Always reverts with `AsyncRedeemOnly` (ERC-7540).
    function previewRedeem(uint256 shares) external view returns (uint256);

    /// @notice Always reverts with `AsyncRedeemOnly` (ERC-7540).
    function previewWithdraw(uint256 assets) external view returns (uint256);

    // ================================================================== views

    /// @notice Assets the vault could pay out in this block (`vault.liquidAssets()`).
    function liquidNow() external view returns (uint256);

    /// @notice Shares escrowed in pending requests.
    function pendingShares() external view returns (uint256);

    /// @notice What the pending shares are worth at the vault's current price (rounded down).
    function pendingAssets() external view returns (uint256);

    /// @notice Assets of fulfilled requests not yet claimed; this contract holds them.
    function claimableAssets() external view returns (uint256);

    /// @notice Pending shares the vault could pay now (`vault.maxRedeem(queue)`, at most `pendingShares()`).
    /// @dev An upper bound on what `fulfill` serves: it also stops at the first request that does not fit.
    function fulfillableShares() external view returns (uint256);

    /// @notice Totals of `controller`: pending shares, and the shares and assets it can claim.
    function controllerTotals(
        address controller
    ) external view returns (uint256 pending, uint256 claimableShares, uint256 claimableAssets_);

    /// @notice Request `requestId` as stored.
    function getRequest(uint256 requestId) external view returns (Request memory);

    /// @notice The id the next request will get; ids run from 1 to this minus one.
    function nextRequestId() external view returns (uint256);

    /// @notice The first id `fulfill` will look at; every earlier request is fulfilled, claimed or cancelled.
    function head() external view returns (uint256);

    /// @notice The ids of every request `controller` controls, oldest first.
    function requestIdsOf(address controller) external view returns (uint256[] memory);

    /// @notice For each adapter of the vault (withdraw queue order, at most ten) that implements
    /// `IAsyncAdapter.pendingRelease` and has a release under way: the assets on their way out and when they free.
    /// @dev Adapters that do not implement it, revert, or have nothing under way are left out.
    function releaseSchedule() external view returns (Release[] memory releases);

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
