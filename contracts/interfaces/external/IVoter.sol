// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IVoter
/// @notice The part of the Velodrome V2 (Optimism) / Aerodrome (Base) Voter a vault adapter uses, as deployed at the
/// address book's addresses: weekly gauge votes by veNFTs, and claims of the trading fees and incentives (bribes)
/// those votes earn.
/// @dev Epochs are whole weeks (timestamp - timestamp % 1 weeks). `vote` and `reset` revert in the first hour of an
/// epoch and when the NFT already voted in the current epoch; `vote` also reverts in the last hour of an epoch
/// (whitelisted NFTs excepted), for a killed gauge (`GaugeNotAlive`), a pool listed twice, a pool without a gauge,
/// and more than `maxVotingNum` (30) pools. `poke` is open to anyone: it recasts the NFT's standing votes with its
/// current voting power. Votes stand from epoch to epoch until reset; each epoch's fees and incentives go to the
/// votes standing at its end, claimable once it is over, and are paid to the NFT's owner. The deployed Voters name
/// the incentive claim `claimBribes` (`claimIncentives` exists only in later, undeployed code); the vault's adapter
/// claims from each reward contract directly (IReward.getReward, open to the NFT's owner) in any case.
interface IVoter {
    /// @notice The VotingEscrow.
    function ve() external view returns (address);

    /// @notice Votes `_tokenId`'s whole voting power for `_poolVote`, split by the relative `_weights`.
    function vote(uint256 _tokenId, address[] calldata _poolVote, uint256[] calldata _weights) external;

    /// @notice Withdraws every vote of `_tokenId`.
    function reset(uint256 _tokenId) external;

    /// @notice Recasts `_tokenId`'s standing votes with its current voting power (anyone may call).
    function poke(uint256 _tokenId) external;

    /// @notice Claims, for `_tokenId`, the fees in `_tokens[i]` of each fees reward contract `_fees[i]`.
    function claimFees(address[] memory _fees, address[][] memory _tokens, uint256 _tokenId) external;

    /// @notice Claims, for `_tokenId`, the incentives in `_tokens[i]` of each incentive contract `_bribes[i]`.
    function claimBribes(address[] memory _bribes, address[][] memory _tokens, uint256 _tokenId) external;

    /// @notice Gauge of `pool` (zero if none).
    function gauges(address pool) external view returns (address);

    /// @notice Fees reward contract of `gauge`.
    function gaugeToFees(address gauge) external view returns (address);

    /// @notice Incentive (bribe) reward contract of `gauge`.
    function gaugeToBribe(address gauge) external view returns (address);

    /// @notice Whether `gauge` is alive (a killed gauge refuses votes).
    function isAlive(address gauge) external view returns (bool);

    /// @notice Most pools one vote may name.
    function maxVotingNum() external view returns (uint256);

    /// @notice Time of `tokenId`'s last vote.
    function lastVoted(uint256 tokenId) external view returns (uint256);

    /// @notice Votes of `tokenId` for `pool`.
    function votes(uint256 tokenId, address pool) external view returns (uint256);
}
