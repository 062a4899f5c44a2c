// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {OFTAdapter} from "@layerzerolabs/oft-evm/contracts/OFTAdapter.sol";
import {IVaultAdmin} from "../interfaces/IVaultAdmin.sol";
import {IStreamingRewardsDistributor} from "../interfaces/IRewardsDistributor.sol";
import {IVaultShareOFTAdapter} from "../interfaces/IVaultShareOFTAdapter.sol";

/// @title VaultShareOFTAdapter
/// @notice LayerZero's OFTAdapter for a RollupVault's share on the vault's own chain: shares sent to another chain
/// are locked here and released when they come back, so the vault's total supply (and its share price) never moves
/// with bridging. The omnichain share on the other chains is a `VaultShareOFT`.
/// @dev LayerZero's reference contract (imported from `@layerzerolabs/oft-evm`), plus `restreamRewards` for the
/// rewards the locked shares earn. `owner` is the OApp delegate: it sets peers, enforced options and the endpoint
/// configuration.
contract VaultShareOFTAdapter is OFTAdapter, IVaultShareOFTAdapter {
    constructor(address share, address endpoint, address owner) OFTAdapter(share, endpoint, owner) Ownable(owner) {}

    /// @inheritdoc IVaultShareOFTAdapter
    function restreamRewards(address[] calldata tokens) external returns (uint256[] memory amounts) {
        address distributor = IVaultAdmin(address(innerToken)).rewardsDistributor();
        if (distributor == address(0)) revert NoRewardsDistributor();
        amounts = IStreamingRewardsDistributor(distributor).claim(tokens, distributor);
        emit RewardsRestreamed(distributor, tokens, amounts);
    }
}
