// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Immutables keep the real protocol's getter names (token, sharedDecimals, staking, pool).
// solhint-disable immutable-vars-naming

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {MockStargateLP} from "./MockStargateLP.sol";

/// @title MockStargatePool
/// @notice Test-support Stargate V2 pool, ERC-20 or native (token == address(0)), behaving like the real one where a
/// vault depends on it: LP minted 1:1 and burnt on redeem, amounts de-dusted to shared decimals (a native deposit
/// with dust or msg.value != amount reverts), redemptions capped by the local credit, `redeemable` as the real one,
/// native redemptions sent with all gas, a paused status that blocks deposit and redeem. Tests move the local credit
/// with `drainCredit` (a bridge outflow: credit and underlying leave) and `refillCredit` (an inflow).
contract MockStargatePool {
    using SafeERC20 for IERC20;

    uint8 internal constant _OPEN = 1;
    uint8 internal constant _PAUSED = 3;

    error Stargate_InvalidAmount();
    error Stargate_Paused();
    error Stargate_OutflowFailed();
    error InsufficientCredit(uint256 amountLD, uint256 creditLD);

    event Deposited(address indexed payer, address indexed receiver, uint256 amountLD);
    event Redeemed(address indexed payer, address indexed receiver, uint256 amountLD);
    event CreditDrained(uint256 amountLD, address to);
    event CreditRefilled(uint256 amountLD);

    address public immutable token;
    uint8 public immutable sharedDecimals;
    uint256 internal immutable _CONVERT_RATE;
    MockStargateLP internal immutable _LP;

    uint8 public status = _OPEN;
    /// @notice Local credit in LD: what the pool can pay out now.
    uint256 public credit;
    uint256 public poolBalance;

    constructor(address token_, uint8 localDecimals, uint8 sharedDecimals_) {
        token = token_;
        sharedDecimals = sharedDecimals_;
        _CONVERT_RATE = 10 ** (localDecimals - sharedDecimals_);
        _LP = new MockStargateLP("Stargate LP", "S*LP", localDecimals);
    }

    modifier notPaused() {
        if (status == _PAUSED) revert Stargate_Paused();
        _;
    }

    function deposit(address receiver, uint256 amountLD) external payable notPaused returns (uint256 amount) {
        amount = _dedust(amountLD);
        if (token == address(0)) {
            if (msg.value != amountLD || amount != amountLD) revert Stargate_InvalidAmount();
        } else {
            if (msg.value != 0) revert Stargate_InvalidAmount();
            IERC20(token).safeTransferFrom(msg.sender, address(this), amount);
        }
        credit += amount;
        poolBalance += amount;
        _LP.mint(receiver, amount);
        emit Deposited(msg.sender, receiver, amount);
    }

    function redeem(uint256 amountLD, address receiver) external notPaused returns (uint256 amount) {
        amount = _dedust(amountLD);
        if (amount > credit) revert InsufficientCredit(amount, credit);
        credit -= amount;
        _LP.burnFrom(msg.sender, amount);
        poolBalance -= amount;
        _send(receiver, amount);
        emit Redeemed(msg.sender, receiver, amount);
    }

    function redeemable(address owner) external view returns (uint256) {
        if (owner == address(0)) return credit;
        uint256 lp = _LP.balanceOf(owner);
        return lp < credit ? lp : credit;
    }

    function tvl() external view returns (uint256) {
        return _LP.totalSupply();
    }

    function lpToken() external view returns (address) {
        return address(_LP);
    }

    // ------------------------------------------------------------------ test controls

    /// @notice Simulates a bridge outflow: `amountLD` of credit and underlying leave the pool for `to`.
    function drainCredit(uint256 amountLD, address to) external {
        credit -= amountLD;
        poolBalance -= amountLD;
        emit CreditDrained(amountLD, to);
        _send(to, amountLD);
    }

    /// @notice Simulates a bridge inflow: the caller brings `amountLD` of underlying (msg.value if native).
    function refillCredit(uint256 amountLD) external payable {
        if (token == address(0)) {
            if (msg.value != amountLD) revert Stargate_InvalidAmount();
        } else {
            IERC20(token).safeTransferFrom(msg.sender, address(this), amountLD);
        }
        credit += amountLD;
        poolBalance += amountLD;
        emit CreditRefilled(amountLD);
    }

    function setPaused(bool paused) external {
        status = paused ? _PAUSED : _OPEN;
    }

    function _dedust(uint256 amountLD) internal view returns (uint256) {
        return amountLD - (amountLD % _CONVERT_RATE);
    }

    function _send(address to, uint256 amount) internal {
        if (token == address(0)) {
            (bool ok, ) = to.call{value: amount}("");
            if (!ok) revert Stargate_OutflowFailed();
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }
}
