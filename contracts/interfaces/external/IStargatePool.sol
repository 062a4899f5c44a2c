// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title IStargatePool
/// @notice The part of a Stargate V2 liquidity pool (StargatePool / StargatePoolNative) that an LP vault needs.
/// @dev Facts from stargate-protocol/stargate-v2 (packages/stg-evm-v2/src/StargatePool.sol, StargatePoolNative.sol,
/// StargateBase.sol). Amounts are in local decimals (LD); the pool keeps its books in shared decimals (SD) and
/// drops the dust below one SD unit: `deposit` takes and mints only the de-dusted amount (an ERC-20 pool pulls only
/// that much; a native pool reverts unless msg.value == amount and amount has no dust), `redeem` burns and pays the
/// de-dusted amount. The LP token has the underlying's local decimals and is minted 1:1, so it never grows in value.
interface IStargatePool {
    /// @notice Takes `amountLD` of the underlying from the caller (msg.value for a native pool) and mints LP 1:1.
    /// @return depositedLD The amount deposited and LP minted, de-dusted.
    function deposit(address receiver, uint256 amountLD) external payable returns (uint256 depositedLD);

    /// @notice Burns the caller's LP and pays the underlying to `receiver` (native pools send ETH with all gas).
    /// @dev Reverts if the local credit is below the de-dusted amount or if the pool is paused.
    /// @return redeemedLD The amount burnt and paid, de-dusted.
    function redeem(uint256 amountLD, address receiver) external returns (uint256 redeemedLD);

    /// @notice min(LP balance of `owner`, local credit); `owner == address(0)` gives the local credit alone,
    /// that is what the pool can pay out now.
    /// @dev LP staked in StargateStaking is not in the owner's LP balance: a staker must use address(0).
    function redeemable(address owner) external view returns (uint256 amountLD);

    /// @notice Total LP supply in LD (LP is minted 1:1).
    function tvl() external view returns (uint256);

    /// @notice The underlying the pool holds for its LPs, in LD.
    function poolBalance() external view returns (uint256);

    /// @notice The LP token (created by the pool; its address is read here, never stored in address books).
    function lpToken() external view returns (address);

    /// @notice The underlying token; address(0) for a native (ETH) pool.
    /// @dev StargateBase: `address public immutable token`. Not in IStargatePool itself but on every pool.
    function token() external view returns (address);

    /// @notice Decimals shared across chains; dust below 10^(local - shared) is dropped by deposit and redeem.
    /// @dev StargateBase: `uint8 public immutable sharedDecimals` (6 for the ETH and USDC pools as deployed).
    function sharedDecimals() external view returns (uint8);

    /// @notice 1: open, 2: inside a call, 3: paused by the planner (deposit and redeem revert while paused).
    /// @dev StargateBase: `uint8 public status`. Read only to keep `releasable` truthful while a pool is paused.
    function status() external view returns (uint8);

    /// @notice The credit of the path toward endpoint id `eid`, in shared decimals: how much may be sent there now
    /// (`send`, `redeemSend`); for the pool's own `localEid`, what `redeem` may pay out here.
    /// @dev StargateBase: `mapping(uint32 eid => Path path) public paths`, Path being `struct { uint64 credit; }`.
    function paths(uint32 eid) external view returns (uint64 credit);
}
