// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

import {IAdapter, IAdapterTraits} from "../interfaces/IAdapter.sol";

/// @title BaseAdapter
/// @notice What every adapter shares: the vault and asset it is bound to for life, and the vault-only gate.
abstract contract BaseAdapter is IAdapter, IAdapterTraits {
    /// @notice The vault this adapter serves.
    address public immutable VAULT;
    /// @notice The vault's asset.
    address public immutable ASSET;

    /// @param vault_ The vault to serve; the asset is read from it.
    constructor(address vault_) {
        if (vault_ == address(0)) revert ZeroAddress();
        VAULT = vault_;
        ASSET = IERC4626(vault_).asset();
    }

    modifier onlyVault() {
        if (msg.sender != VAULT) revert NotVault(msg.sender);
        _;
    }

    /// @inheritdoc IAdapter
    function vault() external view returns (address) {
        return VAULT;
    }

    /// @inheritdoc IAdapter
    function asset() external view returns (address) {
        return ASSET;
    }

    /// @inheritdoc IAdapterTraits
    /// @dev False unless an adapter whose protocol cannot lose overrides it with a constant.
    function cannotLose() public pure virtual returns (bool) {
        return false;
    }

    /// @inheritdoc IAdapterTraits
    /// @dev None unless overridden.
    function liquiditySource() public view virtual returns (address) {
        return address(0);
    }
}
