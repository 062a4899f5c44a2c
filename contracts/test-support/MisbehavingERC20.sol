// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title MisbehavingERC20
/// @notice Test-support reward token that misbehaves towards one caller (the `victim`, e.g. a RewardsDistributor):
/// its `balanceOf`, `transfer` and `approve` revert, burn all the gas they are given, or (transfer and approve)
/// return false, while everyone else (the adapter paying it out) sees a normal ERC-20. Open minting. Never deployed
/// to a real network.
contract MisbehavingERC20 is ERC20 {
    enum Mode {
        None,
        Revert,
        BurnGas,
        ReturnFalse
    }

    error Misbehaved();

    address public victim;
    Mode public mode;

    constructor() ERC20("Misbehaving", "BAD") {}

    /// @notice Makes calls from `victim_` misbehave as `mode_` (test hook, open to anyone).
    function setMisbehaviour(address victim_, Mode mode_) external {
        victim = victim_;
        mode = mode_;
    }

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function balanceOf(address account) public view override returns (uint256) {
        if (msg.sender == victim) _misbehave();
        return super.balanceOf(account);
    }

    function transfer(address to, uint256 amount) public override returns (bool) {
        if (msg.sender == victim) {
            if (mode == Mode.ReturnFalse) return false;
            _misbehave();
        }
        return super.transfer(to, amount);
    }

    function approve(address spender, uint256 amount) public override returns (bool) {
        if (msg.sender == victim) {
            if (mode == Mode.ReturnFalse) return false;
            _misbehave();
        }
        return super.approve(spender, amount);
    }

    function _misbehave() internal view {
        if (mode == Mode.Revert) revert Misbehaved();
        if (mode == Mode.BurnGas) {
            // Spins until the call runs out of gas.
            uint256 i;
            while (gasleft() > 0) ++i;
        }
    }
}
