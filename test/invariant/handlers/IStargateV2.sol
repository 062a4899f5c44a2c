// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";

/// @notice The calls of the REAL Stargate V2 contracts (official bytecode of @stargatefinance/stg-evm-v2, deployed in
/// the invariant tests with `deployCode` from the package's artifacts) that the Stargate invariant campaign drives.
/// Shapes from the package's sources (src/StargateBase.sol, src/StargatePool.sol, src/peripheral/rewarder/*).
interface IStargatePoolV2 {
    struct AddressConfig {
        address feeLib;
        address planner;
        address treasurer;
        address tokenMessaging;
        address creditMessaging;
        address lzToken;
    }
    struct TargetCredit {
        uint32 srcEid;
        uint64 amount;
        uint64 minAmount;
    }
    struct Credit {
        uint32 srcEid;
        uint64 amount;
    }
    struct Origin {
        uint32 srcEid;
        bytes32 sender;
        uint64 nonce;
    }

    function setAddressConfig(AddressConfig calldata config) external;
    function setPause(bool paused) external;
    function sendCredits(uint32 dstEid, TargetCredit[] calldata credits) external returns (Credit[] memory);
    function receiveCredits(uint32 srcEid, Credit[] calldata credits) external;
    function receiveTokenTaxi(
        Origin calldata origin,
        bytes32 guid,
        address receiver,
        uint64 amountSD,
        bytes calldata composeMsg
    ) external;
    function deposit(address receiver, uint256 amountLD) external payable returns (uint256);
    function redeem(uint256 amountLD, address receiver) external returns (uint256);
    function redeemable(address owner) external view returns (uint256);
    function poolBalance() external view returns (uint256);
    function paths(uint32 eid) external view returns (uint64 credit);
    function lpToken() external view returns (address);
    function status() external view returns (uint8);
    function localEid() external view returns (uint32);
}

interface IStargateStakingV2 {
    function setPool(IERC20 token, address rewarder) external;
    function balanceOf(IERC20 token, address user) external view returns (uint256);
}

interface IStargateMultiRewarderV2 {
    function setAllocPoints(
        address rewardToken,
        IERC20[] calldata stakingTokens,
        uint48[] calldata allocPoints
    ) external;
    function setReward(address rewardToken, uint256 amount, uint48 start, uint48 duration) external payable;
}
