// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// Immutables keep the real protocol's getter names (token, sharedDecimals, staking, pool).
// solhint-disable immutable-vars-naming

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockStargateLP
/// @notice Test-support Stargate LP token: the pool that creates it mints and burns (from any holder, no allowance,
/// as the real pool burns the redeemer's LP); decimals are the underlying's local decimals.
contract MockStargateLP is ERC20 {
    error OnlyPool(address caller);

    address public immutable pool;
    uint8 private immutable _DECIMALS;

    constructor(string memory name_, string memory symbol_, uint8 decimals_) ERC20(name_, symbol_) {
        pool = msg.sender;
        _DECIMALS = decimals_;
    }

    modifier onlyPool() {
        if (msg.sender != pool) revert OnlyPool(msg.sender);
        _;
    }

    function decimals() public view override returns (uint8) {
        return _DECIMALS;
    }

    function mint(address to, uint256 amount) external onlyPool {
        _mint(to, amount);
    }

    function burnFrom(address from, uint256 amount) external onlyPool {
        _burn(from, amount);
    }
}
