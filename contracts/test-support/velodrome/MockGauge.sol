// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @title MockGauge
/// @notice Test-support gauge of one pool in the StakingRewards shape (deposit for a recipient, withdraw,
/// getReward, earned). Never deployed to a real network. Emissions are streamed from `notifyRewardAmount` like the
/// real gauge; the vote-escrow adapter never stakes LP, so this only completes the Voter's wiring.
contract MockGauge {
    using SafeERC20 for IERC20;

    error ZeroAmount();

    address public immutable stakingToken;
    address public immutable rewardToken;
    address public immutable feesVotingReward;
    uint256 public constant DURATION = 7 days;

    uint256 public totalSupply;
    uint256 public rewardRate;
    uint256 public periodFinish;
    uint256 public lastUpdateTime;
    uint256 public rewardPerTokenStored;
    mapping(address account => uint256) public balanceOf;
    mapping(address account => uint256) public userRewardPerTokenPaid;
    mapping(address account => uint256) public rewards;

    constructor(address stakingToken_, address rewardToken_, address feesVotingReward_) {
        stakingToken = stakingToken_;
        rewardToken = rewardToken_;
        feesVotingReward = feesVotingReward_;
    }

    modifier updateReward(address account) {
        rewardPerTokenStored = rewardPerToken();
        lastUpdateTime = block.timestamp < periodFinish ? block.timestamp : periodFinish;
        if (account != address(0)) {
            rewards[account] = earned(account);
            userRewardPerTokenPaid[account] = rewardPerTokenStored;
        }
        _;
    }

    function rewardPerToken() public view returns (uint256) {
        if (totalSupply == 0) return rewardPerTokenStored;
        uint256 applicable = block.timestamp < periodFinish ? block.timestamp : periodFinish;
        return rewardPerTokenStored + ((applicable - lastUpdateTime) * rewardRate * 1e18) / totalSupply;
    }

    function earned(address account) public view returns (uint256) {
        return (balanceOf[account] * (rewardPerToken() - userRewardPerTokenPaid[account])) / 1e18 + rewards[account];
    }

    function deposit(uint256 amount, address recipient) external updateReward(recipient) {
        if (amount == 0) revert ZeroAmount();
        totalSupply += amount;
        balanceOf[recipient] += amount;
        IERC20(stakingToken).safeTransferFrom(msg.sender, address(this), amount);
    }

    function withdraw(uint256 amount) external updateReward(msg.sender) {
        totalSupply -= amount;
        balanceOf[msg.sender] -= amount;
        IERC20(stakingToken).safeTransfer(msg.sender, amount);
    }

    function getReward(address account) external updateReward(account) {
        uint256 reward = rewards[account];
        rewards[account] = 0;
        if (reward != 0) IERC20(rewardToken).safeTransfer(account, reward);
    }

    function notifyRewardAmount(uint256 amount) external updateReward(address(0)) {
        IERC20(rewardToken).safeTransferFrom(msg.sender, address(this), amount);
        uint256 leftover = block.timestamp < periodFinish ? (periodFinish - block.timestamp) * rewardRate : 0;
        rewardRate = (amount + leftover) / DURATION;
        lastUpdateTime = block.timestamp;
        periodFinish = block.timestamp + DURATION;
    }
}
