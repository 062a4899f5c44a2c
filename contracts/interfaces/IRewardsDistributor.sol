// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IRewardsDistributor
/// @notice The hooks a vault calls on the contract that streams reward tokens to its share holders.
interface IRewardsDistributor {
    /// @notice Settles `from` and `to` at their current share balances, just before the vault changes them.
    /// @dev Called by the vault on every mint, burn and transfer; `from` or `to` is zero for a mint or burn. The vault
    /// passes the balances and supply it is about to change, so the distributor never calls back (and the vault's
    /// slots are warm for the change that follows).
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
}

/// @title IStreamingRewardsDistributor
/// @notice The whole surface of the RewardsDistributor: the vault hooks, holder claims, views and configuration.
/// @dev STREAMS. Each reward token streams linearly to the vault's share holders, pro rata to their shares, from the
/// notify that brought it until the stream's end. A notify during an active stream merges the new amount with what is
/// still unstreamed; the merged stream ends at the amount-weighted average of the old end and `now + rewardPeriod`
/// (the rule the vault uses for locked profit), so a tiny notify barely moves the end and cannot stall a stream.
/// ACCOUNTING. A per-share accumulator per token (scaled by 1e27) is advanced to `now` before every share balance
/// change and both sides are settled; no loop ever runs over holders. The distributor trusts only its balances: a
/// notify streams `balance - accounted`, where `accounted` is what is streaming or owed to holders.
/// EMPTY VAULT. What streams while the vault has no shares is released back to the unaccounted balance and streams
/// again with the next notify of that token, so it is not lost.
/// ROUTING. The owner or curator may route a reward token into an ERC-4626 vault over it (e.g. a governance-staking
/// vault); the distributor then deposits that token on notify and streams the vault's shares instead.
interface IStreamingRewardsDistributor is IRewardsDistributor {
    // ================================================================== types

    /// @notice Why a notify left a token aside.
    /// @param VaultToken The token is the vault's asset (it reaches the share price through reports) or its share.
    /// @param TooManyTokens The bounded token list is full; the tokens stay here until swept.
    /// @param AmountTooLarge The token's books would exceed 2^128 - 1.
    /// @param RouteFailed The route's deposit reverted; the tokens stay here and are routed at a later notify.
    /// @param Blocked The owner or curator blocked the token; it stays here until swept.
    enum SkipReason {
        VaultToken,
        TooManyTokens,
        AmountTooLarge,
        RouteFailed,
        Blocked
    }

    // ================================================================== errors

    /// @notice `caller` is not the vault this distributor serves.
    error NotVault(address caller);
    /// @notice `caller` is neither the vault's owner nor its curator.
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
    /// @notice `token` is in the reward token list, so its balance belongs to the streams.
    error CannotSweepRewardToken(address token);
    /// @notice `token` is already a reward token, which cannot be blocked any more.
    error AlreadyListed(address token);
    /// @notice There is nothing to sweep.
    error NothingToSweep(address token);

    // ================================================================== events

    /// @notice `token` joined the reward token list.
    event RewardTokenAdded(address indexed token);
    /// @notice `amount` of `token` was added to its stream, which now holds `streaming` ending at `end`.
    event RewardsNotified(address indexed token, uint256 amount, uint256 streaming, uint256 end);
    /// @notice `amount` of `token` was deposited into `route`, which minted `shares` to stream instead.
    event RewardsRouted(address indexed token, address indexed route, uint256 amount, uint256 shares);
    /// @notice A notify left `amount` of `token` aside, for `reason`.
    event RewardsSkipped(address indexed token, uint256 amount, SkipReason reason);
    /// @notice `amount` of `token` streamed while the vault had no shares; it streams again at the next notify.
    event RewardsHeld(address indexed token, uint256 amount);
    /// @notice `account` claimed `amount` of `token`, paid to `receiver`.
    event RewardPaid(address indexed account, address indexed receiver, address indexed token, uint256 amount);
    /// @notice `token` is now routed into `route` (zero: streamed as it is).
    event RouteSet(address indexed token, address indexed route);
    /// @notice `token` is now blocked (or unblocked) from becoming a reward token.
    event BlockedSet(address indexed token, bool blocked);
    /// @notice New notifies stream over `period`.
    event RewardPeriodSet(uint256 period);
    /// @notice `amount` of `token`, not a reward token, was sent to `receiver`.
    event Swept(address indexed token, address indexed receiver, uint256 amount);

    // ================================================================== holders

    /// @notice Pays the caller's rewards in each of `tokens` to `receiver`.
    /// @dev Advances every stream to now and settles the caller in every token first. A token with nothing owed
    /// pays nothing and emits nothing.
    /// @param tokens Any subset of the reward tokens (each must be listed).
    /// @param receiver Who receives the tokens.
    /// @return amounts What was paid in each token, in the order of `tokens`.
    function claim(address[] calldata tokens, address receiver) external returns (uint256[] memory amounts);

    // ================================================================== configuration (vault owner or curator)

    /// @notice Routes `token` into the ERC-4626 vault `route`, whose shares then stream instead; zero unroutes.
    /// @dev No timelock: a route changes only the form in which future rewards are held, never who gets them or
    /// how much of the vault's asset anyone can take. A route's asset must be `token`; the vault's asset and share
    /// cannot be routed. Streams already running (of `token` or of an earlier route's shares) go on unchanged.
    function setRoute(address token, address route) external;

    /// @notice Blocks (or unblocks) `token` from ever becoming a reward token: a notify skips it and it can be swept.
    /// @dev The token list is append-only and bounded, and every listed token adds to the cost of each share transfer:
    /// this keeps junk tokens an adapter may pass on (an airdrop, a farm adding a token) off the list. Only a token
    /// not yet listed can be blocked.
    function setBlocked(address token, bool blocked) external;

    /// @notice Sets the period over which a new notify streams; running streams keep their end.
    function setRewardPeriod(uint256 period) external;

    /// @notice Sends the whole balance of `token`, which must not be a listed reward token, to the vault's skim
    /// recipient: tokens left aside because the list was full, or sent here by mistake.
    function sweep(address token) external;

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

    /// @notice Whether `token` is blocked from becoming a reward token.
    function isBlocked(address token) external view returns (bool);

    /// @notice The ERC-4626 vault `token` is routed into, or zero.
    function routeOf(address token) external view returns (address);

    /// @notice What `account` can claim of `token` now, streamed part included (rounded down).
    function earned(address account, address token) external view returns (uint256);

    /// @notice The accumulated `token` per share, scaled by 1e27, as of now, modulo 2^128.
    function rewardPerShare(address token) external view returns (uint256);

    /// @notice The stream of `token` as of now.
    /// @return streaming What is still to stream.
    /// @return end When the stream ends (once it has ended, possibly the later time it was last advanced at).
    /// @return accounted What is streaming or owed to holders (rounding dust included); the rest of the balance
    /// streams at the next notify.
    function streamOf(address token) external view returns (uint256 streaming, uint256 end, uint256 accounted);
}
