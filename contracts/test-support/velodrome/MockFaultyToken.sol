// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MockFaultyToken
/// @notice Test-support incentive token that can turn hostile, as a paused, blacklisting or broken token would:
/// `balanceOf` and/or transfers revert once switched. Never deployed to a real network.
contract MockFaultyToken is ERC20 {
    error Faulty();

    /// @notice Whether `balanceOf` reverts.
    bool public balanceOfReverts;
    /// @notice Whether `transfer` and `transferFrom` revert.
    bool public transfersRevert;

    constructor(string memory name_, string memory symbol_) ERC20(name_, symbol_) {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    /// @notice Test switch: which calls revert from now on.
    function setFaults(bool balanceOfReverts_, bool transfersRevert_) external {
        balanceOfReverts = balanceOfReverts_;
        transfersRevert = transfersRevert_;
    }

    function balanceOf(address account) public view override returns (uint256) {
        if (balanceOfReverts) revert Faulty();
        return super.balanceOf(account);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (transfersRevert && from != address(0)) revert Faulty();
        super._update(from, to, value);
    }
}
