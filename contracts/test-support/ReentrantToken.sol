// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title ReentrantToken
/// @notice Test-support token that calls back into a target with preset calldata on every transfer, bubbling up any
/// revert, to show that entry points are guarded against reentrancy. Never deployed to a real network.
contract ReentrantToken is ERC20 {
    address public hookTarget;
    bytes public callData;

    constructor() ERC20("Reentrant", "RE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function setCall(address target_, bytes calldata callData_) external {
        hookTarget = target_;
        callData = callData_;
    }

    function _update(address from, address to, uint256 value) internal override {
        super._update(from, to, value);
        if (hookTarget != address(0) && from != address(0)) {
            // solhint-disable-next-line avoid-low-level-calls
            (bool ok, bytes memory data) = hookTarget.call(callData);
            if (!ok) {
                assembly ("memory-safe") {
                    revert(add(data, 32), mload(data))
                }
            }
        }
    }
}
