// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IReward} from "../../interfaces/external/IReward.sol";
import {IVotingEscrow} from "../../interfaces/external/IVotingEscrow.sol";

/// @title MockVotingReward
/// @notice Test-support fees or incentive reward contract of one gauge. Never deployed to a real network. Keeps the
/// real behaviour: rewards notified in an epoch are shared by the votes standing at its end, pro rata, claimable once
/// it is over, paid to the NFT's owner; votes stand from epoch to epoch until withdrawn. Loops over epochs (fine for
/// tests; the real contract bounds them).
contract MockVotingReward is IReward {
    using SafeERC20 for IERC20;

    error NotVoter();
    error NotApprovedOrOwner();
    error ZeroAmount();
    error Broken();

    event NotifyReward(address indexed from, address indexed token, uint256 indexed epoch, uint256 amount);
    event ClaimRewards(address indexed to, address indexed token, uint256 amount);

    struct Checkpoint {
        uint256 epoch;
        uint256 value;
    }

    uint256 internal constant WEEK = 7 days;

    address public immutable voter;
    address public immutable ve;
    address[] public override rewards;
    mapping(address token => bool) public isReward;
    mapping(address token => mapping(uint256 epoch => uint256)) public tokenRewardsPerEpoch;
    mapping(address token => mapping(uint256 id => uint256)) public lastEarn;
    mapping(uint256 id => uint256) public balanceOf;
    uint256 public totalSupply;
    /// @notice Test switch: `getReward` reverts (a broken reward token).
    bool public broken;
    mapping(uint256 id => Checkpoint[]) internal _balanceCheckpoints;
    Checkpoint[] internal _supplyCheckpoints;

    constructor(address voter_, address ve_, address[] memory rewards_) {
        voter = voter_;
        ve = ve_;
        for (uint256 i; i < rewards_.length; ++i) _addReward(rewards_[i]);
    }

    function rewardsListLength() external view returns (uint256) {
        return rewards.length;
    }

    /// @notice Called by the Voter when `tokenId` votes `amount` for this gauge.
    function _deposit(uint256 amount, uint256 tokenId) external {
        if (msg.sender != voter) revert NotVoter();
        balanceOf[tokenId] += amount;
        totalSupply += amount;
        _write(_balanceCheckpoints[tokenId], balanceOf[tokenId]);
        _write(_supplyCheckpoints, totalSupply);
    }

    /// @notice Called by the Voter when `tokenId` withdraws `amount` of votes from this gauge.
    function _withdraw(uint256 amount, uint256 tokenId) external {
        if (msg.sender != voter) revert NotVoter();
        balanceOf[tokenId] -= amount;
        totalSupply -= amount;
        _write(_balanceCheckpoints[tokenId], balanceOf[tokenId]);
        _write(_supplyCheckpoints, totalSupply);
    }

    function notifyRewardAmount(address token, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        _addReward(token);
        uint256 epoch = _epochStart(block.timestamp);
        tokenRewardsPerEpoch[token][epoch] += amount;
        IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        emit NotifyReward(msg.sender, token, epoch, amount);
    }

    function earned(address token, uint256 tokenId) public view returns (uint256 reward) {
        Checkpoint[] storage checkpoints = _balanceCheckpoints[tokenId];
        if (checkpoints.length == 0) return 0;
        uint256 start = lastEarn[token][tokenId];
        if (start < checkpoints[0].epoch) start = checkpoints[0].epoch;
        uint256 current = _epochStart(block.timestamp);
        for (uint256 epoch = start; epoch < current; epoch += WEEK) {
            uint256 supply = _valueAt(_supplyCheckpoints, epoch);
            if (supply == 0) continue;
            reward += (tokenRewardsPerEpoch[token][epoch] * _valueAt(checkpoints, epoch)) / supply;
        }
    }

    function setBroken(bool broken_) external {
        broken = broken_;
    }

    function getReward(uint256 tokenId, address[] memory tokens) external {
        if (broken) revert Broken();
        if (msg.sender != voter && !IVotingEscrow(ve).isApprovedOrOwner(msg.sender, tokenId)) {
            revert NotApprovedOrOwner();
        }
        address owner = IVotingEscrow(ve).ownerOf(tokenId);
        for (uint256 i; i < tokens.length; ++i) {
            uint256 reward = earned(tokens[i], tokenId);
            lastEarn[tokens[i]][tokenId] = _epochStart(block.timestamp);
            if (reward != 0) IERC20(tokens[i]).safeTransfer(owner, reward);
            emit ClaimRewards(owner, tokens[i], reward);
        }
    }

    function _addReward(address token) internal {
        if (isReward[token]) return;
        isReward[token] = true;
        rewards.push(token);
    }

    /// @dev Checkpoints are keyed by the epoch of the change: the value standing at an epoch's end.
    function _write(Checkpoint[] storage checkpoints, uint256 value) internal {
        uint256 epoch = _epochStart(block.timestamp);
        uint256 length = checkpoints.length;
        if (length != 0 && checkpoints[length - 1].epoch == epoch) checkpoints[length - 1].value = value;
        else checkpoints.push(Checkpoint(epoch, value));
    }

    function _valueAt(Checkpoint[] storage checkpoints, uint256 epoch) internal view returns (uint256 value) {
        for (uint256 i = checkpoints.length; i != 0; --i) {
            if (checkpoints[i - 1].epoch <= epoch) return checkpoints[i - 1].value;
        }
    }

    function _epochStart(uint256 timestamp) internal pure returns (uint256) {
        return timestamp - (timestamp % WEEK);
    }
}
