// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Immutables keep the real protocol's getter names (token, sharedDecimals, staking, pool).
// solhint-disable immutable-vars-naming

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

interface IMockStargateStakingViews {
    function balanceOf(IERC20 token, address user) external view returns (uint256);

    function totalSupply(IERC20 token) external view returns (uint256);
}

/// @title MockStargateMultiRewarder
/// @notice Test-support StargateMultiRewarder for one staking token: several reward tokens (address(0) = native ETH)
/// each stream at their own rate over their own period, tracked by a per-token reward-per-share accumulator.
/// `onUpdate` (staking only) pushes ALL of the user's pending rewards, in every token, with ETH sent by a plain call
/// that reverts the whole update if the staker refuses it, as the real one. Rewards streamed while nothing is staked
/// are not paid to anyone. `stopReward` drops a token from the list (its pending rewards are forfeited).
contract MockStargateMultiRewarder {
    using SafeERC20 for IERC20;

    struct Reward {
        uint256 ratePerSec;
        uint256 accPerShare;
        uint64 start;
        uint64 end;
        uint64 lastUpdate;
        bool active;
    }

    /// @dev Scales the accumulator so that 6-decimal LP and 18-decimal rewards keep precision.
    uint256 internal constant _PRECISION = 1e36;

    error OnlyStaking(address caller);
    error AlreadyConnected();
    error IncorrectNative(uint256 expected, uint256 actual);
    error NativeTransferFailed(address to, uint256 amount);
    error UnknownReward(address token);
    error ZeroDuration();

    event RewardsClaimed(address indexed user, address[] rewardTokens, uint256[] amounts);
    event RewardSet(address indexed token, uint256 amount, uint256 ratePerSec, uint256 start, uint256 end);
    event RewardStopped(address indexed token);

    address public immutable staking;
    IERC20 public stakingToken;
    address[] internal _tokens;
    mapping(address token => Reward reward) public rewards;
    mapping(address token => mapping(address user => uint256 acc)) internal _userAcc;

    constructor(address staking_) {
        staking = staking_;
    }

    modifier onlyStaking() {
        if (msg.sender != staking) revert OnlyStaking(msg.sender);
        _;
    }

    function connect(IERC20 token) external onlyStaking {
        if (address(stakingToken) != address(0)) revert AlreadyConnected();
        stakingToken = token;
    }

    function onUpdate(IERC20, address user, uint256 oldStake, uint256 oldSupply, uint256) external onlyStaking {
        uint256 length = _tokens.length;
        address[] memory tokens = new address[](length);
        uint256[] memory amounts = new uint256[](length);
        for (uint256 i; i < length; ++i) {
            address token = _tokens[i];
            Reward storage reward = rewards[token];
            _index(reward, oldSupply);
            tokens[i] = token;
            amounts[i] = (oldStake * (reward.accPerShare - _userAcc[token][user])) / _PRECISION;
            _userAcc[token][user] = reward.accPerShare;
        }
        emit RewardsClaimed(user, tokens, amounts);
        for (uint256 i; i < length; ++i) {
            if (amounts[i] != 0) _transfer(user, tokens[i], amounts[i]);
        }
    }

    /// @notice Streams `amount` (plus what is left of the current period) of `token` from now over `duration`.
    function setReward(address token, uint256 amount, uint64 duration) external payable {
        if (duration == 0) revert ZeroDuration();
        Reward storage reward = rewards[token];
        if (!reward.active) {
            reward.active = true;
            _tokens.push(token);
        } else {
            _index(reward, IMockStargateStakingViews(staking).totalSupply(stakingToken));
        }
        uint256 left = reward.end > block.timestamp ? reward.ratePerSec * (reward.end - block.timestamp) : 0;
        reward.ratePerSec = (amount + left) / duration;
        reward.start = uint64(block.timestamp);
        reward.end = uint64(block.timestamp) + duration;
        reward.lastUpdate = uint64(block.timestamp);
        emit RewardSet(token, amount, reward.ratePerSec, reward.start, reward.end);
        if (token == address(0)) {
            if (msg.value != amount) revert IncorrectNative(amount, msg.value);
        } else {
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        }
    }

    function stopReward(address token) external {
        if (!rewards[token].active) revert UnknownReward(token);
        rewards[token].active = false;
        uint256 length = _tokens.length;
        for (uint256 i; i < length; ++i) {
            if (_tokens[i] == token) {
                _tokens[i] = _tokens[length - 1];
                _tokens.pop();
                break;
            }
        }
        emit RewardStopped(token);
    }

    function rewardTokens() external view returns (address[] memory) {
        return _tokens;
    }

    function getRewards(IERC20 token, address user) external view returns (address[] memory, uint256[] memory) {
        uint256 length = _tokens.length;
        address[] memory tokens = new address[](length);
        uint256[] memory amounts = new uint256[](length);
        uint256 supply = IMockStargateStakingViews(staking).totalSupply(token);
        uint256 stake = IMockStargateStakingViews(staking).balanceOf(token, user);
        for (uint256 i; i < length; ++i) {
            Reward memory reward = rewards[_tokens[i]];
            uint256 acc = reward.accPerShare + _accrued(reward, supply);
            tokens[i] = _tokens[i];
            amounts[i] = (stake * (acc - _userAcc[_tokens[i]][user])) / _PRECISION;
        }
        return (tokens, amounts);
    }

    function _index(Reward storage reward, uint256 supply) internal {
        reward.accPerShare += _accrued(reward, supply);
        reward.lastUpdate = uint64(block.timestamp);
    }

    function _accrued(Reward memory reward, uint256 supply) internal view returns (uint256) {
        uint256 from = reward.lastUpdate > reward.start ? reward.lastUpdate : reward.start;
        uint256 to = block.timestamp < reward.end ? block.timestamp : reward.end;
        if (to <= from || supply == 0) return 0;
        return ((to - from) * reward.ratePerSec * _PRECISION) / supply;
    }

    function _transfer(address to, address token, uint256 amount) internal {
        if (token == address(0)) {
            (bool ok, ) = to.call{value: amount}("");
            if (!ok) revert NativeTransferFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }
}
