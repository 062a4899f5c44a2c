// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVoter
/// @notice The part of the Velodrome / Aerodrome Voter a vault adapter uses: weekly gauge votes by veNFTs, and claims
/// of the trading fees and incentives (bribes) those votes earn.
/// @dev Epochs are whole weeks (timestamp - timestamp % 1 weeks). `vote` and `reset` revert in the first hour of an
/// epoch and when the NFT already voted in the current epoch; `vote` also reverts in the last hour of an epoch
/// (whitelisted NFTs excepted). Votes stand from epoch to epoch until reset; each epoch's fees and incentives go to
/// the votes standing at its end, claimable once it is over, and are paid to the NFT's owner.
/// The claim wrappers are named differently across Voter versions (`claimBribes` in the deployed V2 Voters); the
/// vault's adapter therefore claims from each reward contract directly (IReward.getReward, open to the NFT's owner).
interface IVoter {
    /// @notice The VotingEscrow.
    function ve() external view returns (address);

    /// @notice Votes `_tokenId`'s whole voting power for `_poolVote`, split by the relative `_weights`.
    function vote(uint256 _tokenId, address[] calldata _poolVote, uint256[] calldata _weights) external;

    /// @notice Withdraws every vote of `_tokenId`.
    function reset(uint256 _tokenId) external;

    /// @notice Claims, for `_tokenId`, the fees in `_tokens[i]` of each fees reward contract `_fees[i]`.
    function claimFees(address[] memory _fees, address[][] memory _tokens, uint256 _tokenId) external;

    /// @notice Claims, for `_tokenId`, the incentives in `_tokens[i]` of each incentive contract `_incentives[i]`.
    function claimIncentives(address[] memory _incentives, address[][] memory _tokens, uint256 _tokenId) external;

    /// @notice Gauge of `pool` (zero if none).
    function gauges(address pool) external view returns (address);

    /// @notice Fees reward contract of `gauge`.
    function gaugeToFees(address gauge) external view returns (address);

    /// @notice Incentive (bribe) reward contract of `gauge`.
    function gaugeToBribe(address gauge) external view returns (address);

    /// @notice Time of `tokenId`'s last vote.
    function lastVoted(uint256 tokenId) external view returns (uint256);

    /// @notice Votes of `tokenId` for `pool`.
    function votes(uint256 tokenId, address pool) external view returns (uint256);
}
