// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRewardsDistributor
/// @notice The hooks a vault calls on the contract that streams reward tokens to its share holders.
interface IRewardsDistributor {
    /// @notice Settles `from` and `to` at their current share balances, just before the vault changes them.
    /// @dev Called by the vault on every mint, burn and transfer; `from` or `to` is zero for a mint or burn. The vault
    /// passes the balances and supply it is about to change, so the distributor never calls back (and the vault's
    /// slots are warm for the change that follows). Must never revert for a well-formed call: a revert here blocks
    /// every share movement, exits included.
    /// @param from The account losing shares (zero for a mint).
    /// @param fromBalance `from`'s share balance before the change (zero for a mint).
    /// @param to The account receiving shares (zero for a burn).
    /// @param toBalance `to`'s share balance before the change (zero for a burn).
    /// @param totalSupply The vault's share supply before the change.
    function beforeBalanceChange(
        address from,
        uint256 fromBalance,
        address to,
        uint256 toBalance,
        uint256 totalSupply
    ) external;

    /// @notice Starts streaming reward tokens that an adapter has just sent to the distributor.
    /// @param tokens The tokens sent.
    /// @param amounts The amount of each, as the adapter measured it; the distributor trusts only its own balance.
    function notifyRewards(address[] calldata tokens, uint256[] calldata amounts) external;

    /// @notice Called by the vault right after it stopped pointing at this distributor (its storage already names
    /// `successor`, possibly zero). From then on the vault no longer reports balance changes here.
    /// @dev A distributor that keeps per-holder books must make sure that nobody can be paid against balances it no
    /// longer sees, and that what its holders earned is not lost; it may revert to refuse the change.
    /// @param successor The vault's new distributor (zero: none).
    function detach(address successor) external;
}

/// @title IStreamingRewardsDistributor
/// @notice The whole surface of the RewardsDistributor: the vault hooks, holder claims, views and configuration.
/// @dev STREAMS. Each reward token streams linearly to the vault's share holders, pro rata to their shares, from the
/// notify that brought it until the stream's end. A notify during an active stream merges the new amount with what is
/// still unstreamed; the merged stream ends at the amount-weighted average of the old end and `now + rewardPeriod`
/// (the rule the vault uses for locked profit), so a tiny notify barely moves the end and cannot stall a stream.
/// ACCOUNTING. A per-share accumulator per token (scaled by 1e27, 160 bits wide) is advanced to `now` before every
/// share balance change and both sides are settled; no loop ever runs over holders. The distributor trusts only its
/// balances: a notify streams `balance - accounted`, where `accounted` is what is streaming or owed to holders.
/// ALLOW-LIST. Only tokens the vault's owner or curator allowed ever stream: any other token a harvest hands in is
/// left here untouched (not even called), to be allowed later (it then streams at once) or swept after the timelock.
/// EMPTY VAULT. What streams while the vault has (almost) no shares is released back to the unaccounted balance and
/// streams again with the next notify of that token, so it is not lost.
/// ROUTING. A reward token may be routed (after the vault's timelock) into an ERC-4626 vault over it (e.g. a
/// governance-staking vault); the distributor then deposits that token on notify and streams the vault's shares.
/// MIGRATION. When the vault replaces this distributor it calls `detach(successor)`: the streams stop at that moment,
/// what was still to stream is handed to the successor (which streams it on to the same holders), and every holder
/// can still claim here what they earned until then, measured on the share balance they held at the detach (the
/// successor records each holder's balance before its first change). The successor must have been told its
/// predecessor (`setPredecessor`) before the vault attaches it, or the replacement reverts.
interface IStreamingRewardsDistributor is IRewardsDistributor {
    // ================================================================== types

    /// @notice Why a notify left a token aside.
    /// @param VaultToken The token is the vault's asset (it reaches the share price through reports) or its share.
    /// @param TooManyTokens The bounded token list is full; the tokens stay here until swept.
    /// @param AmountTooLarge The token's books would exceed 2^95 - 1 units.
    /// @param RouteFailed The route's deposit failed; the tokens stay here and are routed at a later notify.
    /// @param NotAllowed The token is not on the allow-list; it stays here until allowed (then it streams) or swept.
    /// @param TokenCallFailed Reading the token's balance failed (a reverting or gas-burning token); nothing moved.
    enum SkipReason {
        VaultToken,
        TooManyTokens,
        AmountTooLarge,
        RouteFailed,
        NotAllowed,
        TokenCallFailed
    }

    // ================================================================== errors

    /// @notice `caller` is not the vault this distributor serves.
    error NotVault(address caller);
    /// @notice `caller` may not make this call.
    error Unauthorized(address caller);
    /// @notice The zero address was given where a real one is needed.
    error ZeroAddress();
    /// @notice `token` is the vault's asset or share, which can never be a reward stream.
    error VaultTokenNotAllowed(address token);
    /// @notice `route` is not an ERC-4626 vault over `token` (its asset is `routeAsset`).
    error RouteAssetMismatch(address token, address route, address routeAsset);
    /// @notice `route` is the vault itself or its asset.
    error InvalidRoute(address route);
    /// @notice The value is already set.
    error AlreadySet();
    /// @notice `period` is outside [`min`, `max`].
    error PeriodOutOfBounds(uint256 period, uint256 min, uint256 max);
    /// @notice `token` is not in the reward token list.
    error NotRewardToken(address token);
    /// @notice `token` is in the reward token list or allowed, so its balance belongs to the holders.
    error CannotSweepRewardToken(address token);
    /// @notice `token` is already a reward token, which cannot be disallowed any more.
    error AlreadyListed(address token);
    /// @notice There is nothing to sweep or hand over.
    error NothingToSweep(address token);
    /// @notice The call was not submitted, while the vault's timelock is not zero.
    error NotSubmitted();
    /// @notice The call is already pending.
    error AlreadyPending();
    /// @notice The call becomes executable at `at`.
    error TimelockNotElapsed(uint256 at);
    /// @notice The submission could be executed until `deadline` only.
    error SubmissionExpired(uint256 deadline);
    /// @notice The distributor was detached from its vault: it no longer streams nor takes configuration.
    error Detached();
    /// @notice The distributor is (or was) the vault's distributor, so its predecessor can no longer be set.
    error AlreadyAttached();
    /// @notice The distributor lists reward tokens (or owes its predecessor's holders), so it can only be replaced
    /// by a successor that carries them on, never removed.
    error SuccessorRequired();
    /// @notice `successor` does not name this distributor as its predecessor, or serves another vault.
    error SuccessorMismatch(address successor);
    /// @notice Moving `token` failed.
    error TokenTransferFailed(address token);
    /// @notice `predecessor` is not a distributor of this vault.
    error PredecessorMismatch(address predecessor);

    // ================================================================== events

    /// @notice `token` joined the reward token list.
    event RewardTokenAdded(address indexed token);
    /// @notice `amount` of `token` was added to its stream, which now holds `streaming` ending at `end`.
    event RewardsNotified(address indexed token, uint256 amount, uint256 streaming, uint256 end);
    /// @notice `amount` of `token` was deposited into `route`, which minted `shares` to stream instead.
    event RewardsRouted(address indexed token, address indexed route, uint256 amount, uint256 shares);
    /// @notice A notify left `amount` of `token` aside (as reported by the adapter when the token was not called),
    /// for `reason`.
    event RewardsSkipped(address indexed token, uint256 amount, SkipReason reason);
    /// @notice `amount` of `token` streamed while the vault had no shares; it streams again at the next notify.
    event RewardsHeld(address indexed token, uint256 amount);
    /// @notice `account` claimed `amount` of `token`, paid to `receiver`.
    event RewardPaid(address indexed account, address indexed receiver, address indexed token, uint256 amount);
    /// @notice `token` is now routed into `route` (zero: streamed as it is).
    event RouteSet(address indexed token, address indexed route);
    /// @notice `token` is now allowed (or no longer allowed) to stream to holders.
    event AllowedSet(address indexed token, bool allowed);
    /// @notice New notifies stream over `period`.
    event RewardPeriodSet(uint256 period);
    /// @notice `amount` of `token`, not a reward token, was sent to `receiver`.
    event Swept(address indexed token, address indexed receiver, uint256 amount);
    /// @notice The timelocked call `data` (selector `selector`) may run from `at`.
    event Submitted(bytes4 indexed selector, bytes data, uint256 at);
    /// @notice The timelocked call `data` (selector `selector`) ran.
    event Accepted(bytes4 indexed selector, bytes data);
    /// @notice The pending call `data` was dropped by `by`.
    event Revoked(bytes4 indexed selector, bytes data, address indexed by);
    /// @notice The distributor will take over from `predecessor` when the vault attaches it.
    event PredecessorSet(address indexed predecessor);
    /// @notice The vault detached this distributor in favour of `successor`; the streams stopped.
    event DistributorDetached(address indexed successor);
    /// @notice The predecessor handed its streams over; holders' balances are recorded before their first change.
    event Inherited(address indexed predecessor);
    /// @notice `amount` of `token` went to the successor (unstreamed rewards, or a balance left here).
    event HandedOver(address indexed token, address indexed successor, uint256 amount);

    // ================================================================== holders

    /// @notice Pays the caller's rewards in each of `tokens` to `receiver`.
    /// @dev Advances every stream to now and settles the caller in every token first. A token with nothing owed
    /// pays nothing and emits nothing. On a detached distributor the caller is settled on the share balance they held
    /// at the detach (see MIGRATION).
    /// @param tokens Any subset of the reward tokens (each must be listed).
    /// @param receiver Who receives the tokens.
    /// @return amounts What was paid in each token, in the order of `tokens`.
    function claim(address[] calldata tokens, address receiver) external returns (uint256[] memory amounts);

    // ================================================================== migration

    /// @notice Names the distributor this one replaces (vault owner or curator), before the vault attaches it.
    /// @dev `predecessor` must serve the same vault. Without it, the vault's replacement of a distributor that lists
    /// tokens reverts (`SuccessorMismatch`).
    function setPredecessor(address predecessor) external;

    /// @notice Called by the predecessor during its `detach`: streams the allowed `tokens` just handed over and, if
    /// `record` (the predecessor keeps holder books), records holders' balances before their first change from now on.
    function inherit(address[] calldata tokens, bool record) external;

    /// @notice Sends the whole unowed balance of `token` held by a detached distributor to its successor (anyone).
    /// @dev For balances that could not be handed over at the detach (a token whose transfer failed, a routed token
    /// waiting for its route, a token not allowed).
    function handOver(address token) external;

    // ================================================================== configuration (vault owner or curator)

    /// @notice Routes `token` into the ERC-4626 vault `route`, whose shares then stream instead; zero unroutes.
    /// @dev Setting a route waits out the vault's timelock (`submit` first): a route decides where holders' rewards
    /// go. Unrouting is immediate. A route's asset must be `token`; the vault's asset and share cannot be routed.
    /// Streams already running (of `token` or of an earlier route's shares) go on unchanged.
    function setRoute(address token, address route) external;

    /// @notice Allows (or disallows) `token` to stream to holders. Allowing streams what is held of it at once if this
    /// is the vault's distributor (otherwise at its first notify).
    /// @dev Only a token not yet listed can be disallowed. The token list is append-only and bounded, and every
    /// listed token adds to the cost of each share transfer: only allowed tokens ever join it.
    function setAllowed(address token, bool allowed) external;

    /// @notice Sets the period over which a new notify streams; running streams keep their end.
    function setRewardPeriod(uint256 period) external;

    /// @notice Sends the whole balance of `token`, which must be neither listed, allowed nor routed, to the vault's
    /// skim recipient (junk, or tokens sent here by mistake). Waits out the vault's timelock (`submit` first).
    function sweep(address token) external;

    /// @notice Queues the timelocked call `data` to this distributor (`setRoute` to a vault, `sweep`); vault owner or
    /// curator.
    /// @dev It may run once the vault's timelock (the longer of the one in force at submission and at execution) has
    /// passed, and at most TIMELOCK_GRACE after that. While the vault's timelock is zero no submission is needed.
    function submit(bytes calldata data) external;

    /// @notice Drops a pending timelocked call; the vault's guardian, owner or curator.
    function revoke(bytes calldata data) external;

    // ================================================================== views

    /// @notice The vault whose share holders this distributor pays.
    function vault() external view returns (address);

    /// @notice The vault's asset, never streamed.
    function asset() external view returns (address);

    /// @notice Period over which a new notify streams.
    function rewardPeriod() external view returns (uint256);

    /// @notice The reward tokens, in the order they were first notified (at most MAX_REWARD_TOKENS).
    function rewardTokens() external view returns (address[] memory);

    /// @notice Whether `token` is in the reward token list.
    function isRewardToken(address token) external view returns (bool);

    /// @notice Whether `token` may stream to holders.
    function isAllowed(address token) external view returns (bool);

    /// @notice The ERC-4626 vault `token` is routed into, or zero.
    function routeOf(address token) external view returns (address);

    /// @notice When the timelocked call `data` may run (zero: not submitted).
    function executableAt(bytes calldata data) external view returns (uint256);

    /// @notice The distributor this one took over from (zero: none).
    function predecessor() external view returns (address);

    /// @notice The distributor that took over from this one (zero: still attached, or never was).
    function successor() external view returns (address);

    /// @notice The share balance `account` held when this distributor took over from its predecessor (its balance now
    /// if it has not changed since).
    function predecessorBalanceOf(address account) external view returns (uint256);

    /// @notice What `account` can claim of `token` now, streamed part included (rounded down).
    function earned(address account, address token) external view returns (uint256);

    /// @notice The accumulated `token` per share, scaled by 1e27, as of now, modulo 2^160.
    function rewardPerShare(address token) external view returns (uint256);

    /// @notice The stream of `token` as of now.
    /// @return streaming What is still to stream.
    /// @return end When the stream ends (once it has ended, possibly the later time it was last advanced at).
    /// @return accounted What is streaming or owed to holders (rounding dust included); the rest of the balance
    /// streams at the next notify.
    function streamOf(address token) external view returns (uint256 streaming, uint256 end, uint256 accounted);
}
