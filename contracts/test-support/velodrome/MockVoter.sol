// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming

import {IReward} from "../../interfaces/external/IReward.sol";
import {IVoter} from "../../interfaces/external/IVoter.sol";
import {IVotingEscrow} from "../../interfaces/external/IVotingEscrow.sol";
import {MockGauge} from "./MockGauge.sol";
import {MockVotingEscrow} from "./MockVotingEscrow.sol";
import {MockVotingReward} from "./MockVotingReward.sol";

/// @title MockVoter
/// @notice Test-support Velodrome V2 / Aerodrome Voter, in the shape deployed at the address book's addresses.
/// Never deployed to a real network. Keeps the rules a vault relies on: weekly epochs; `vote` and `reset` refused in
/// the first hour of an epoch (distribute window) and when the NFT already voted this epoch; `vote` refused in the
/// last hour (no whitelisted NFTs here), for a killed gauge (GaugeNotAlive), a pool without a gauge, a pool named
/// twice (NonZeroVotes) and more than `maxVotingNum` (30) pools; `poke` open to anyone outside the distribute window,
/// recasting the standing votes with the current voting power; votes split the NFT's voting power by relative
/// weights and stand until reset; fees (`claimFees`) and incentives (`claimBribes`) claimed through the Voter are
/// paid to the NFT's owner. Reward contracts' token lists are unbounded. Leaves out emissions distribution, managed
/// NFTs and token whitelisting (the real incentive contracts accept only tokens the Voter whitelisted).
contract MockVoter is IVoter {
    error NotGovernor();
    error NotApprovedOrOwner();
    error AlreadyVotedOrDeposited();
    error DistributeWindow();
    error NotWhitelistedNFT();
    error UnequalLengths();
    error GaugeExists();
    error GaugeDoesNotExist(address pool);
    error ZeroBalance();
    error GaugeNotAlive(address gauge);
    error GaugeAlreadyKilled();
    error NonZeroVotes();
    error TooManyPools();

    event GaugeCreated(address indexed pool, address gauge, address fees, address bribe);
    event Voted(uint256 indexed tokenId, address indexed pool, uint256 weight);
    event Abstained(uint256 indexed tokenId, address indexed pool, uint256 weight);
    event GaugeKilled(address indexed gauge);

    uint256 internal constant WEEK = 7 days;

    address public immutable override ve;
    address public immutable governor;
    mapping(address pool => address) public override gauges;
    mapping(address gauge => address) public override gaugeToFees;
    mapping(address gauge => address) public override gaugeToBribe;
    mapping(address pool => uint256) public weights;
    mapping(uint256 tokenId => mapping(address pool => uint256)) public override votes;
    mapping(uint256 tokenId => address[]) internal _poolVote;
    mapping(uint256 tokenId => uint256) public usedWeights;
    mapping(uint256 tokenId => uint256) public override lastVoted;
    mapping(address gauge => bool) public override isAlive;
    uint256 public totalWeight;
    /// @notice Most pools one vote may name (the deployed Voters' default).
    uint256 public override maxVotingNum = 30;

    constructor(address ve_) {
        ve = ve_;
        governor = msg.sender;
    }

    modifier onlyNewEpoch(uint256 tokenId) {
        uint256 epochStart = block.timestamp - (block.timestamp % WEEK);
        if (epochStart <= lastVoted[tokenId]) revert AlreadyVotedOrDeposited();
        if (block.timestamp <= epochStart + 1 hours) revert DistributeWindow();
        _;
    }

    /// @notice Test setup: creates the gauge of `pool` with its fees and incentive reward contracts; the fees
    /// contract knows the pool's two tokens, the incentive contract learns its tokens as they are notified.
    function createGauge(address pool, address[] calldata feeTokens) external returns (address gauge) {
        if (msg.sender != governor) revert NotGovernor();
        if (gauges[pool] != address(0)) revert GaugeExists();
        MockVotingReward fees = new MockVotingReward(address(this), ve, feeTokens);
        MockVotingReward bribe = new MockVotingReward(address(this), ve, new address[](0));
        gauge = address(new MockGauge(pool, MockVotingEscrow(ve).token(), address(fees)));
        gauges[pool] = gauge;
        gaugeToFees[gauge] = address(fees);
        gaugeToBribe[gauge] = address(bribe);
        isAlive[gauge] = true;
        emit GaugeCreated(pool, gauge, address(fees), address(bribe));
    }

    /// @notice Test setup (the emergency council's call): kills `gauge`, which then refuses votes.
    function killGauge(address gauge) external {
        if (msg.sender != governor) revert NotGovernor();
        if (!isAlive[gauge]) revert GaugeAlreadyKilled();
        isAlive[gauge] = false;
        emit GaugeKilled(gauge);
    }

    function poolVoteLength(uint256 tokenId) external view returns (uint256) {
        return _poolVote[tokenId].length;
    }

    function vote(
        uint256 tokenId,
        address[] calldata poolVote,
        uint256[] calldata voteWeights
    ) external onlyNewEpoch(tokenId) {
        if (!IVotingEscrow(ve).isApprovedOrOwner(msg.sender, tokenId)) revert NotApprovedOrOwner();
        if (poolVote.length != voteWeights.length) revert UnequalLengths();
        if (poolVote.length > maxVotingNum) revert TooManyPools();
        uint256 epochStart = block.timestamp - (block.timestamp % WEEK);
        if (block.timestamp > epochStart + WEEK - 1 hours) revert NotWhitelistedNFT();
        lastVoted[tokenId] = block.timestamp;
        _vote(tokenId, poolVote, voteWeights);
    }

    /// @notice Anyone may recast `tokenId`'s standing votes with its current voting power (not in the first hour).
    function poke(uint256 tokenId) external {
        uint256 epochStart = block.timestamp - (block.timestamp % WEEK);
        if (block.timestamp <= epochStart + 1 hours) revert DistributeWindow();
        address[] memory pools = _poolVote[tokenId];
        uint256[] memory poolWeights = new uint256[](pools.length);
        for (uint256 i; i < pools.length; ++i) poolWeights[i] = votes[tokenId][pools[i]];
        _vote(tokenId, pools, poolWeights);
    }

    function reset(uint256 tokenId) external onlyNewEpoch(tokenId) {
        if (!IVotingEscrow(ve).isApprovedOrOwner(msg.sender, tokenId)) revert NotApprovedOrOwner();
        _reset(tokenId);
        MockVotingEscrow(ve).voting(tokenId, false);
    }

    function claimFees(address[] memory fees, address[][] memory tokens, uint256 tokenId) external {
        if (!IVotingEscrow(ve).isApprovedOrOwner(msg.sender, tokenId)) revert NotApprovedOrOwner();
        for (uint256 i; i < fees.length; ++i) IReward(fees[i]).getReward(tokenId, tokens[i]);
    }

    function claimBribes(address[] memory bribes, address[][] memory tokens, uint256 tokenId) external {
        if (!IVotingEscrow(ve).isApprovedOrOwner(msg.sender, tokenId)) revert NotApprovedOrOwner();
        for (uint256 i; i < bribes.length; ++i) IReward(bribes[i]).getReward(tokenId, tokens[i]);
    }

    function _vote(uint256 tokenId, address[] memory poolVote, uint256[] memory voteWeights) internal {
        _reset(tokenId);
        uint256 power = IVotingEscrow(ve).balanceOfNFT(tokenId);
        uint256 totalVoteWeight;
        for (uint256 i; i < poolVote.length; ++i) totalVoteWeight += voteWeights[i];
        uint256 used;
        for (uint256 i; i < poolVote.length; ++i) {
            used += _castVote(tokenId, poolVote[i], (voteWeights[i] * power) / totalVoteWeight);
        }
        if (used != 0) MockVotingEscrow(ve).voting(tokenId, true);
        totalWeight += used;
        usedWeights[tokenId] = used;
    }

    function _castVote(uint256 tokenId, address pool, uint256 poolWeight) internal returns (uint256) {
        address gauge = gauges[pool];
        if (gauge == address(0)) revert GaugeDoesNotExist(pool);
        if (!isAlive[gauge]) revert GaugeNotAlive(gauge);
        if (votes[tokenId][pool] != 0) revert NonZeroVotes();
        if (poolWeight == 0) revert ZeroBalance();
        _poolVote[tokenId].push(pool);
        weights[pool] += poolWeight;
        votes[tokenId][pool] += poolWeight;
        MockVotingReward(gaugeToFees[gauge])._deposit(poolWeight, tokenId);
        MockVotingReward(gaugeToBribe[gauge])._deposit(poolWeight, tokenId);
        emit Voted(tokenId, pool, poolWeight);
        return poolWeight;
    }

    function _reset(uint256 tokenId) internal {
        address[] storage pools = _poolVote[tokenId];
        uint256 removed;
        for (uint256 i; i < pools.length; ++i) {
            address pool = pools[i];
            uint256 poolVotes = votes[tokenId][pool];
            if (poolVotes == 0) continue;
            address gauge = gauges[pool];
            weights[pool] -= poolVotes;
            votes[tokenId][pool] = 0;
            MockVotingReward(gaugeToFees[gauge])._withdraw(poolVotes, tokenId);
            MockVotingReward(gaugeToBribe[gauge])._withdraw(poolVotes, tokenId);
            removed += poolVotes;
            emit Abstained(tokenId, pool, poolVotes);
        }
        totalWeight -= removed;
        usedWeights[tokenId] = 0;
        delete _poolVote[tokenId];
    }
}
