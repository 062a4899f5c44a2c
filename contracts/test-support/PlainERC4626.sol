// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";

/// @title PlainERC4626
/// @notice OpenZeppelin's ERC4626 as is: the gas benchmark's baseline. Test support only.
contract PlainERC4626 is ERC4626 {
    constructor(IERC20 asset_) ERC20("Plain ERC4626", "pV") ERC4626(asset_) {}
}
