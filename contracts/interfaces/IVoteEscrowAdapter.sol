// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IAsyncAdapter} from "./IAsyncAdapter.sol";

/// @title IVoteEscrowAdapter
/// @notice Adapter that locks a VELO (Optimism) or AERO (Base) vault's asset into ONE Velodrome/Aerodrome veNFT,
/// votes it for gauges as the vault's allocators decide, and passes on what the votes earn.
/// @dev WHAT A DEPOSITOR CAN GET BACK, AND WHEN. Assets allocated here are locked and cannot be withdrawn on demand:
/// the vault's `maxWithdraw` counts them only once the lock can be withdrawn. Until then a depositor can get back
/// only what sits idle in the vault or in other adapters.
/// - Permanent mode (constructor choice): the lock never ends. Nothing comes back until `prepareRelease`
///   (`IVaultCore.prepareRelease`) turns it into a four-year lock (`unlockPermanent`); it then decays and can be
///   withdrawn after those four years. `pendingRelease` says (locked, type(uint256).max) until then.
/// - Max-length mode: the lock is created for four years (rounded down to a week) and re-extended to four years at
///   each allocation and by `extendLock`. After `prepareRelease` it is no longer extended and runs down to its end
///   (up to four years later). `pendingRelease` says (locked, lock end), the end still movable until a release is
///   prepared.
/// Once the lock has expired, the next deallocation (or withdrawal that reaches this adapter) resets the votes if
/// the Voter allows it now (not in an epoch's first hour, not in the epoch the NFT last voted), claims what the NFT
/// earned, withdraws the NFT and frees everything locked; what the vault did not ask for stays loose and releasable.
/// While a release is prepared, allocations stay loose (releasable) rather than deepen a lock on its way out.
/// VALUE. totalAssets = locked amount + loose asset. Rebases (RewardsDistributor.claim at harvest) grow the lock, or
/// arrive loose after expiry, and reach the share price through a report. Fees and incentives in other tokens are
/// forwarded at harvest; those paid in the asset stay loose, count at the next report and are locked at the next
/// allocation.
/// CLAIM POOLS AND TOKENS. Every pool voted for joins a list (at most MAX_POOLS) whose fees and incentives are
/// claimed at each harvest, so an earlier vote's rewards are not stranded when the votes move; an allocator removes
/// a pool once its rewards are claimed and forwarded and the NFT no longer votes for it. Which tokens are claimed
/// from each pool's fees and incentive contracts is the allocators' choice (`setClaimTokens`, at most
/// MAX_REWARD_TOKENS per contract): a pool joins with its fees contract's tokens (the pool's two tokens, fixed when
/// its gauge was created) and no incentive token. The adapter never walks a reward contract's own token list, which
/// anyone can lengthen with dust incentives; a junk token nobody listed is never claimed.
/// BEST EFFORT, NEVER LOST. Each token is claimed from each reward contract in a call of its own, and forwarded in
/// a guarded transfer: a token that reverts (or a rebase claim made before the period is updated) is skipped and
/// reported (ClaimFailed, ForwardFailed), costs no more than a token that pays, and is retried at the next harvest.
/// While the last claim attempt had a failure (`claimsFailed`), the expired NFT is not withdrawn (it would burn what
/// it still owns) and is not counted as releasable; a harvest or deallocation that claims everything clears it. An
/// allocator who gives up a broken token drops it with `setClaimTokens`.
interface IVoteEscrowAdapter is IAsyncAdapter {
    /// @notice `caller` is neither an allocator of the vault nor its owner.
    error NotAllocator(address caller);
    /// @notice The adapter holds no veNFT.
    error NoLock();
    /// @notice The claim-pool list is full.
    error TooManyPools(uint256 max);
    /// @notice `pool` is not in the claim-pool list.
    error UnknownPool(address pool);
    /// @notice The NFT still votes for `pool`.
    error PoolStillVoted(address pool);
    /// @notice An ERC-721 token arrived other than by this adapter's own mint in the VotingEscrow.
    error UnexpectedNFT(address collection, uint256 tokenId);
    /// @notice The Voter refuses to reset the NFT's votes before `resetAt`.
    error VotesStandUntil(uint256 resetAt);
    /// @notice The lock is permanent: it has no end to extend.
    error PermanentMode();
    /// @notice A release is prepared: the lock is left to run down.
    error ReleaseInProgress();
    /// @notice The Voter serves another VotingEscrow than the one given.
    error EscrowMismatch(address expected, address actual);
    /// @notice `pool` has no gauge in the Voter.
    error NoGauge(address pool);
    /// @notice More than `max` tokens were given for one reward contract.
    error TooManyClaimTokens(uint256 max);
    /// @notice `token` is listed twice, or is the zero address.
    error InvalidClaimToken(address token);

    /// @notice veNFT `tokenId` was created with `assets` locked, permanent or for four years.
    event LockCreated(uint256 indexed tokenId, uint256 assets, bool permanent);
    /// @notice `assets` were added to the lock.
    event LockIncreased(uint256 indexed tokenId, uint256 assets);
    /// @notice The lock now ends at `end`.
    event LockExtended(uint256 indexed tokenId, uint256 end);
    /// @notice The NFT voted for `pools` with relative `weights`, as `caller` asked.
    event Voted(uint256 indexed tokenId, address indexed caller, address[] pools, uint256[] weights);
    /// @notice The NFT's votes were withdrawn.
    event VotesReset(uint256 indexed tokenId);
    /// @notice A release of the whole lock (`assets`) was prepared; it becomes releasable at `readyAt`.
    event ReleaseStarted(uint256 indexed tokenId, uint256 assets, uint256 readyAt);
    /// @notice The expired NFT was withdrawn, freeing `assets`.
    event LockWithdrawn(uint256 indexed tokenId, uint256 assets);
    /// @notice `pool` joined the claim-pool list.
    event ClaimPoolAdded(address indexed pool);
    /// @notice `pool` left the claim-pool list.
    event ClaimPoolRemoved(address indexed pool);
    /// @notice A claim for `tokenId` of `token` from `source` (a reward contract; the rebase distributor with a zero
    /// `token`) reverted; it is retried at the next harvest, and the NFT is not withdrawn until it succeeds.
    event ClaimFailed(uint256 indexed tokenId, address indexed source, address token);
    /// @notice The adapter's balance of `token` could not be read or forwarded; it is retried at the next harvest.
    event ForwardFailed(address indexed token);
    /// @notice The expired NFT was not withdrawn because a claim it owns failed; a later deallocation retries.
    event WithdrawalDeferred(uint256 indexed tokenId);
    /// @notice The tokens claimed for `pool` from its fees and incentive contracts are now `feeTokens` and
    /// `incentiveTokens`, as `caller` chose.
    event ClaimTokensSet(address indexed pool, address indexed caller, address[] feeTokens, address[] incentiveTokens);

    /// @notice The VotingEscrow.
    function ESCROW() external view returns (address);

    /// @notice The Voter.
    function VOTER() external view returns (address);

    /// @notice The rebase RewardsDistributor.
    function REBASE_DISTRIBUTOR() external view returns (address);

    /// @notice Whether the lock is made permanent (true) or kept at four years (false).
    function PERMANENT() external view returns (bool);

    /// @notice The veNFT held, or zero.
    function tokenId() external view returns (uint256);

    /// @notice Whether a release is prepared (the lock runs down and allocations stay loose).
    function releasing() external view returns (bool);

    /// @notice Assets locked in the veNFT.
    function lockedAssets() external view returns (uint256);

    /// @notice The pools whose fees and incentives each harvest claims.
    function claimPools() external view returns (address[] memory);

    /// @notice What each harvest claims for claim pool `pool`: its fees and incentive (bribe) reward contracts and
    /// the tokens claimed from each (all empty for a pool not in the list).
    function claimTokens(
        address pool
    )
        external
        view
        returns (address fees, address incentives, address[] memory feeTokens, address[] memory incentiveTokens);

    /// @notice Whether the last claim attempt (harvest or withdrawal) had a failed claim; while it stands after the
    /// lock's end, the NFT is not withdrawn and the lock is not releasable.
    function claimsFailed() external view returns (bool);

    /// @notice Earliest time the Voter lets the NFT's votes be reset: zero if it has no standing votes or can be
    /// reset now.
    function resetOpensAt() external view returns (uint256);

    /// @notice Votes the NFT for `pools` with relative `weights` (the Voter splits the whole voting power). Vault
    /// allocators and owner only; the Voter accepts one vote per epoch, after its first hour and before its last.
    function vote(address[] calldata pools, uint256[] calldata weights) external;

    /// @notice Withdraws the NFT's votes (same Voter timing rules as a vote). Vault allocators and owner only.
    function resetVotes() external;

    /// @notice Re-extends a max-length lock to four years from now. Vault allocators and owner only.
    function extendLock() external;

    /// @notice Sets the tokens each harvest claims from `pool`'s fees contract (`feeTokens`) and incentive contract
    /// (`incentiveTokens`), at most MAX_REWARD_TOKENS each, no duplicates; adds `pool` to the claim-pool list if
    /// absent (it needs a gauge). Vault allocators and owner only.
    /// @dev Harvest first when dropping a token: a token no longer listed is no longer claimed or forwarded.
    function setClaimTokens(address pool, address[] calldata feeTokens, address[] calldata incentiveTokens) external;

    /// @notice Drops `pool` from the claim-pool list; the NFT must no longer vote for it. Vault allocators and
    /// owner only.
    /// @dev Harvest first: the rewards of a removed pool are no longer claimed or forwarded.
    function removeClaimPool(address pool) external;
}
