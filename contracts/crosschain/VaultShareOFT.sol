// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {OFT} from "@layerzerolabs/oft-evm/contracts/OFT.sol";

/// @title VaultShareOFT
/// @notice The omnichain form of a RollupVault's share on a chain other than the vault's: minted when shares arrive
/// from the vault's `VaultShareOFTAdapter`, burned when they are sent back (for example to redeem through the
/// `RollupVaultComposer`). 18 decimals, like the vault's share.
/// @dev LayerZero's reference OFT, unchanged (imported from `@layerzerolabs/oft-evm`).
contract VaultShareOFT is OFT {
    constructor(
        string memory name,
        string memory symbol,
        address endpoint,
        address owner
    ) OFT(name, symbol, endpoint, owner) Ownable(owner) {}
}
