// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @title IWETH
/// @notice Wrapped ether (WETH9 shape, as the predeploy 0x4200...0006 on OP Stack chains and WETH on Arbitrum).
interface IWETH is IERC20 {
    /// @notice Wraps msg.value ETH into as much WETH for the caller.
    function deposit() external payable;

    /// @notice Burns `amount` WETH of the caller and sends as much ETH to the caller.
    function withdraw(uint256 amount) external;
}
