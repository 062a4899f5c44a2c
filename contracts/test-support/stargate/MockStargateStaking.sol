// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";

import {MockStargateMultiRewarder} from "./MockStargateMultiRewarder.sol";

/// @title MockStargateStaking
/// @notice Test-support StargateStaking: balances per LP token; deposit, withdraw and claim call the pool's rewarder
/// `onUpdate` (which pushes ALL pending rewards to the staker) before moving the LP, as the real StakingLib does;
/// emergencyWithdraw skips the rewarder. Every function reverts for an LP token without a pool.
contract MockStargateStaking is ReentrancyGuard {
    using SafeERC20 for IERC20;

    struct StakingPool {
        bool exists;
        uint256 totalSupply;
        MockStargateMultiRewarder rewarder;
        mapping(address user => uint256 balance) balanceOf;
    }

    error NonExistentPool(IERC20 token);
    error WithdrawalAmountExceedsBalance();

    event Deposit(IERC20 indexed token, address indexed from, address indexed to, uint256 amount);
    event Withdraw(IERC20 indexed token, address indexed from, address indexed to, uint256 amount, bool withUpdate);

    mapping(IERC20 lpToken => StakingPool pool) internal _pools;

    modifier validPool(IERC20 token) {
        if (!_pools[token].exists) revert NonExistentPool(token);
        _;
    }

    function setPool(IERC20 token, MockStargateMultiRewarder newRewarder) external {
        _pools[token].exists = true;
        newRewarder.connect(token);
        _pools[token].rewarder = newRewarder;
    }

    function deposit(IERC20 token, uint256 amount) external nonReentrant validPool(token) {
        StakingPool storage pool = _pools[token];
        uint256 oldBal = pool.balanceOf[msg.sender];
        uint256 oldSupply = pool.totalSupply;
        pool.balanceOf[msg.sender] = oldBal + amount;
        pool.totalSupply = oldSupply + amount;
        emit Deposit(token, msg.sender, msg.sender, amount);
        pool.rewarder.onUpdate(token, msg.sender, oldBal, oldSupply, oldBal + amount);
        token.safeTransferFrom(msg.sender, address(this), amount);
    }

    function withdraw(IERC20 token, uint256 amount) external nonReentrant validPool(token) {
        _withdraw(token, amount, true);
    }

    function emergencyWithdraw(IERC20 token) external nonReentrant validPool(token) {
        _withdraw(token, _pools[token].balanceOf[msg.sender], false);
    }

    function claim(IERC20[] calldata lpTokens) external nonReentrant {
        for (uint256 i; i < lpTokens.length; ++i) {
            StakingPool storage pool = _pools[lpTokens[i]];
            if (!pool.exists) revert NonExistentPool(lpTokens[i]);
            pool.rewarder.onUpdate(lpTokens[i], msg.sender, pool.balanceOf[msg.sender], pool.totalSupply, 0);
        }
    }

    function balanceOf(IERC20 token, address user) external view returns (uint256) {
        return _pools[token].balanceOf[user];
    }

    function totalSupply(IERC20 token) external view returns (uint256) {
        return _pools[token].totalSupply;
    }

    function rewarder(IERC20 token) external view returns (address) {
        return address(_pools[token].rewarder);
    }

    function _withdraw(IERC20 token, uint256 amount, bool withUpdate) internal {
        StakingPool storage pool = _pools[token];
        uint256 oldBal = pool.balanceOf[msg.sender];
        uint256 oldSupply = pool.totalSupply;
        if (oldBal < amount) revert WithdrawalAmountExceedsBalance();
        pool.balanceOf[msg.sender] = oldBal - amount;
        pool.totalSupply = oldSupply - amount;
        emit Withdraw(token, msg.sender, msg.sender, amount, withUpdate);
        if (withUpdate) pool.rewarder.onUpdate(token, msg.sender, oldBal, oldSupply, oldBal - amount);
        token.safeTransfer(msg.sender, amount);
    }
}
