// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVotingEscrow
/// @notice The part of the Velodrome (Optimism) / Aerodrome (Base) VotingEscrow a vault adapter uses: VELO/AERO
/// locked into an ERC-721 veNFT for up to four years (end rounded down to a whole week) or permanently.
/// @dev Facts from velodrome-finance/contracts and aerodrome-finance/contracts: `withdraw` reverts while the NFT has
/// voted (until `Voter.reset`) or before the lock's end, and for a permanent lock; `unlockPermanent` reverts while the
/// NFT has voted and turns the lock into a four-year lock that decays; `increaseAmount` and `depositFor` revert on an
/// expired lock. Voting power (`balanceOfNFT`) is the amount for a permanent lock and decays linearly to zero at the
/// end of a timed one.
interface IVotingEscrow {
    /// @notice A lock: amount locked, end time (zero for a permanent lock), and whether it is permanent.
    struct LockedBalance {
        int128 amount;
        uint256 end;
        bool isPermanent;
    }

    /// @notice The locked token (VELO or AERO).
    function token() external view returns (address);

    /// @notice Locks `_value` of the caller's tokens until now + `_lockDuration` (rounded down to a week) into a new
    /// veNFT minted to the caller.
    function createLock(uint256 _value, uint256 _lockDuration) external returns (uint256 tokenId);

    /// @notice Adds `_value` of the caller's tokens to the lock of `_tokenId` (owner or approved only).
    function increaseAmount(uint256 _tokenId, uint256 _value) external;

    /// @notice Adds `_value` of the caller's tokens to the lock of `_tokenId` (anyone).
    function depositFor(uint256 _tokenId, uint256 _value) external;

    /// @notice Moves the end of a timed lock to now + `_lockDuration` (rounded down to a week), which must be later.
    function increaseUnlockTime(uint256 _tokenId, uint256 _lockDuration) external;

    /// @notice Makes a live timed lock permanent: full voting power, no decay, no end.
    function lockPermanent(uint256 _tokenId) external;

    /// @notice Turns a permanent lock back into a lock ending four years from now (rounded down to a week).
    function unlockPermanent(uint256 _tokenId) external;

    /// @notice Burns an expired, unvoted, timed veNFT and sends its locked tokens to the caller.
    function withdraw(uint256 _tokenId) external;

    /// @notice The lock of `_tokenId`.
    function locked(uint256 _tokenId) external view returns (LockedBalance memory);

    /// @notice Current voting power of `_tokenId`.
    function balanceOfNFT(uint256 _tokenId) external view returns (uint256);

    /// @notice Whether `_tokenId` has standing gauge votes.
    function voted(uint256 _tokenId) external view returns (bool);

    /// @notice Owner of `_tokenId`.
    function ownerOf(uint256 _tokenId) external view returns (address);

    /// @notice Whether `_spender` owns or is approved for `_tokenId`.
    function isApprovedOrOwner(address _spender, uint256 _tokenId) external view returns (bool);
}
