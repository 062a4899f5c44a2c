// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Permit.sol";
import {IVaultAdmin} from "./IVaultAdmin.sol";
import {IVaultBounds} from "./IVaultBounds.sol";
import {IVaultCore} from "./IVaultCore.sol";
import {IVaultErrors} from "./IVaultErrors.sol";
import {IVaultEvents} from "./IVaultEvents.sol";

/// @title IRollupVault
/// @notice The whole surface of a vault at its address, for integrators: ERC-4626 with EIP-2612 permit, the
/// vault's own functions, its ERC-5143-style bounded entry points, its configuration, and every error and event it can
/// raise.
/// @dev Deposits land idle and are allocated in batches; withdrawals take idle first, then the withdraw queue.
/// Gains enter the share price only through keeper reports and unlock linearly; see RollupVault for the design.
interface IRollupVault is IERC4626, IVaultCore, IVaultAdmin, IVaultBounds, IERC20Permit, IVaultErrors, IVaultEvents {}
