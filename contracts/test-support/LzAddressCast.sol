// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title LzAddressCast
/// @notice Test support: LayerZero peers are bytes32, and an Ignition module cannot pad a future address itself;
/// deploy/modules/TestSupport.ts reads the padded value of each messaging contract from here (a static call).
contract LzAddressCast {
    /// @notice `account` left-padded to 32 bytes, as OApp.setPeer takes it.
    /// @param account The address to cast.
    /// @return The padded value.
    function toBytes32(address account) external pure returns (bytes32) {
        return bytes32(uint256(uint160(account)));
    }
}
