// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {ICooldownStaking} from "../../interfaces/external/ICooldownStaking.sol";
import {IStakingRewards} from "../../interfaces/external/IStakingRewards.sol";

/// @title MockStakingRewards
/// @notice Test-support staking program in the Synthetix StakingRewards shape, with an optional stkAAVE-style
/// cooldown gating `withdraw`. Never deployed to a real network. Behaviours the adapter relies on:
/// - rewards stream at `rewardRate` until `periodFinish`; while total stake is zero they are lost;
/// - `notifyRewardAmount` (rewards distribution only) expects the tokens to be sent first and rolls any leftover
///   of a running period into the new rate;
/// - with `COOLDOWN_SECONDS != 0`, `withdraw` needs `cooldown()` to have been called, then
///   `start + COOLDOWN_SECONDS < now <= start + COOLDOWN_SECONDS + UNSTAKE_WINDOW`; the cooldown covers the whole
///   balance and survives partial withdrawals until its window ends; withdrawing everything clears it;
/// - a NEW STAKE DURING AN ACTIVE COOLDOWN moves its start to the amount-weighted average of the old start and now
///   (the new tokens have not cooled down), so it can push a stake that was in its window back into cooling; a
///   stake after the window has passed clears the stale cooldown.
contract MockStakingRewards is IStakingRewards, ICooldownStaking {
    using SafeERC20 for IERC20;

    error ZeroAmount();
    error NotRewardsDistribution(address caller);
    error InsufficientStake(uint256 requested, uint256 balance);
    error RewardTooHigh(uint256 rate, uint256 maxRate);
    error NothingStaked();
    error CooldownNotStarted();
    error StillCooling(uint256 readyAfter);
    error UnstakeWindowFinished(uint256 windowEnd);

    event Staked(address indexed user, uint256 amount);
    event Withdrawn(address indexed user, uint256 amount);
    event RewardPaid(address indexed user, uint256 reward);
    event RewardAdded(uint256 reward);
    event Cooldown(address indexed user, uint256 start);

    address public immutable override stakingToken;
    address public immutable override rewardsToken;
    address public immutable rewardsDistribution;
    uint256 public immutable rewardsDuration;
    uint256 public immutable override COOLDOWN_SECONDS;
    uint256 public immutable override UNSTAKE_WINDOW;

    uint256 public override rewardRate;
    uint256 public override periodFinish;
    uint256 public lastUpdateTime;
    uint256 public rewardPerTokenStored;
    uint256 public override totalSupply;
    mapping(address account => uint256) public override balanceOf;
    mapping(address account => uint256) public userRewardPerTokenPaid;
    mapping(address account => uint256) public rewards;
    mapping(address account => uint256) public override stakersCooldowns;

    constructor(
        address stakingToken_,
        address rewardsToken_,
        uint256 rewardsDuration_,
        uint256 cooldownSeconds_,
        uint256 unstakeWindow_
    ) {
        stakingToken = stakingToken_;
        rewardsToken = rewardsToken_;
        rewardsDistribution = msg.sender;
        rewardsDuration = rewardsDuration_;
        COOLDOWN_SECONDS = cooldownSeconds_;
        UNSTAKE_WINDOW = unstakeWindow_;
    }

    modifier updateReward(address account) {
        rewardPerTokenStored = rewardPerToken();
        // Moves on even while nobody stakes: what streamed meanwhile is lost, as in the real contract.
        lastUpdateTime = lastTimeRewardApplicable();
        if (account != address(0)) {
            rewards[account] = earned(account);
            userRewardPerTokenPaid[account] = rewardPerTokenStored;
        }
        _;
    }

    function lastTimeRewardApplicable() public view returns (uint256) {
        return block.timestamp < periodFinish ? block.timestamp : periodFinish;
    }

    function rewardPerToken() public view returns (uint256) {
        if (totalSupply == 0) return rewardPerTokenStored;
        return rewardPerTokenStored + ((lastTimeRewardApplicable() - lastUpdateTime) * rewardRate * 1e18) / totalSupply;
    }

    function earned(address account) public view override returns (uint256) {
        return (balanceOf[account] * (rewardPerToken() - userRewardPerTokenPaid[account])) / 1e18 + rewards[account];
    }

    function stake(uint256 amount) external override updateReward(msg.sender) {
        if (amount == 0) revert ZeroAmount();
        uint256 start = stakersCooldowns[msg.sender];
        if (start != 0) {
            if (block.timestamp > start + COOLDOWN_SECONDS + UNSTAKE_WINDOW) {
                stakersCooldowns[msg.sender] = 0;
            } else {
                uint256 balance = balanceOf[msg.sender];
                stakersCooldowns[msg.sender] = (amount * block.timestamp + balance * start) / (amount + balance);
            }
        }
        totalSupply += amount;
        balanceOf[msg.sender] += amount;
        IERC20(stakingToken).safeTransferFrom(msg.sender, address(this), amount);
        emit Staked(msg.sender, amount);
    }

    function withdraw(uint256 amount) public override updateReward(msg.sender) {
        if (amount == 0) revert ZeroAmount();
        uint256 balance = balanceOf[msg.sender];
        if (amount > balance) revert InsufficientStake(amount, balance);
        if (COOLDOWN_SECONDS != 0) {
            uint256 start = stakersCooldowns[msg.sender];
            if (start == 0) revert CooldownNotStarted();
            if (block.timestamp <= start + COOLDOWN_SECONDS) revert StillCooling(start + COOLDOWN_SECONDS);
            if (block.timestamp - (start + COOLDOWN_SECONDS) > UNSTAKE_WINDOW) {
                revert UnstakeWindowFinished(start + COOLDOWN_SECONDS + UNSTAKE_WINDOW);
            }
            if (amount == balance) stakersCooldowns[msg.sender] = 0;
        }
        totalSupply -= amount;
        balanceOf[msg.sender] = balance - amount;
        IERC20(stakingToken).safeTransfer(msg.sender, amount);
        emit Withdrawn(msg.sender, amount);
    }

    function getReward() public override updateReward(msg.sender) {
        uint256 reward = rewards[msg.sender];
        if (reward != 0) {
            rewards[msg.sender] = 0;
            IERC20(rewardsToken).safeTransfer(msg.sender, reward);
            emit RewardPaid(msg.sender, reward);
        }
    }

    function cooldown() external override {
        if (balanceOf[msg.sender] == 0) revert NothingStaked();
        stakersCooldowns[msg.sender] = block.timestamp;
        emit Cooldown(msg.sender, block.timestamp);
    }

    /// @notice Starts a reward period of `reward` tokens, which must already have been sent to this contract.
    function notifyRewardAmount(uint256 reward) external updateReward(address(0)) {
        if (msg.sender != rewardsDistribution) revert NotRewardsDistribution(msg.sender);
        if (block.timestamp >= periodFinish) {
            rewardRate = reward / rewardsDuration;
        } else {
            uint256 leftover = (periodFinish - block.timestamp) * rewardRate;
            rewardRate = (reward + leftover) / rewardsDuration;
        }
        uint256 balance = IERC20(rewardsToken).balanceOf(address(this));
        if (rewardsToken == stakingToken) balance -= totalSupply;
        if (rewardRate > balance / rewardsDuration) revert RewardTooHigh(rewardRate, balance / rewardsDuration);
        lastUpdateTime = block.timestamp;
        periodFinish = block.timestamp + rewardsDuration;
        emit RewardAdded(reward);
    }
}
