// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {OFTAdapter} from "@layerzerolabs/oft-evm/contracts/OFTAdapter.sol";

/// @title VaultShareOFTAdapter
/// @notice LayerZero's OFTAdapter for a RollupVault's share on the vault's own chain: shares sent to another chain
/// are locked here and released when they come back, so the vault's total supply (and its share price) never moves
/// with bridging. The omnichain share on the other chains is a `VaultShareOFT`.
/// @dev LayerZero's reference contract, unchanged (imported from `@layerzerolabs/oft-evm`). `owner` is the OApp
/// delegate: it sets peers, enforced options and the endpoint configuration.
contract VaultShareOFTAdapter is OFTAdapter {
    constructor(address share, address endpoint, address owner) OFTAdapter(share, endpoint, owner) Ownable(owner) {}
}
