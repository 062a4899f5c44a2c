// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {
    IOFT,
    SendParam,
    MessagingFee,
    MessagingReceipt,
    OFTReceipt,
    OFTLimit,
    OFTFeeDetail
} from "@layerzerolabs/oft-evm/contracts/interfaces/IOFT.sol";
import {IOAppCore} from "@layerzerolabs/oapp-evm/contracts/oapp/interfaces/IOAppCore.sol";
import {ILayerZeroEndpointV2} from "@layerzerolabs/lz-evm-protocol-v2/contracts/interfaces/ILayerZeroEndpointV2.sol";
import {IWETH} from "../interfaces/external/IWETH.sol";
import {IStargateWETHOFT} from "../interfaces/IStargateWETHOFT.sol";

/// @title StargateWETHOFT
/// @notice A Stargate V2 native pool presented as the OFT of WETH (see `IStargateWETHOFT`): the asset OFT of a
/// `RollupVaultComposerNative` over a WETH vault.
/// @dev Stateless: whatever `send` pulls leaves in the same call, and ether is accepted from WETH only.
contract StargateWETHOFT is IStargateWETHOFT, ReentrancyGuardTransient {
    using SafeERC20 for IERC20;

    /// @inheritdoc IStargateWETHOFT
    address public immutable POOL;
    address private immutable _WETH;

    constructor(address pool, address weth) {
        POOL = pool;
        _WETH = weth;
    }

    /// @notice Takes the ether WETH's `withdraw` sends; refuses any other.
    receive() external payable {
        if (msg.sender != _WETH) revert OnlyWETH(msg.sender);
    }

    /// @inheritdoc IOFT
    function token() external view returns (address) {
        return _WETH;
    }

    /// @inheritdoc IOFT
    /// @dev True: `send` pulls WETH from the caller.
    function approvalRequired() external pure returns (bool) {
        return true;
    }

    /// @inheritdoc IStargateWETHOFT
    function endpoint() external view returns (ILayerZeroEndpointV2) {
        return IOAppCore(POOL).endpoint();
    }

    /// @inheritdoc IOFT
    function oftVersion() external view returns (bytes4 interfaceId, uint64 version) {
        return IOFT(POOL).oftVersion();
    }

    /// @inheritdoc IOFT
    function sharedDecimals() external view returns (uint8) {
        return IOFT(POOL).sharedDecimals();
    }

    /// @inheritdoc IOFT
    function quoteOFT(
        SendParam calldata sendParam
    ) external view returns (OFTLimit memory, OFTFeeDetail[] memory, OFTReceipt memory) {
        return IOFT(POOL).quoteOFT(sendParam);
    }

    /// @inheritdoc IOFT
    function quoteSend(SendParam calldata sendParam, bool payInLzToken) external view returns (MessagingFee memory) {
        return IOFT(POOL).quoteSend(sendParam, payInLzToken);
    }

    /// @inheritdoc IOFT
    /// @dev Pulls `sendParam.amountLD` WETH from the caller, unwraps it and sends it with the fee through the pool.
    function send(
        SendParam calldata sendParam,
        MessagingFee calldata fee,
        address refundAddress
    ) external payable nonReentrant returns (MessagingReceipt memory, OFTReceipt memory) {
        if (fee.lzTokenFee != 0) revert LzTokenFeeUnsupported(fee.lzTokenFee);
        if (fee.nativeFee != msg.value) revert NativeFeeNotMsgValue(fee.nativeFee, msg.value);
        uint256 amount = sendParam.amountLD;
        IERC20(_WETH).safeTransferFrom(msg.sender, address(this), amount);
        IWETH(_WETH).withdraw(amount);
        // The native pool takes the amount and the fee as msg.value; the amount's dust counts as fee and the
        // endpoint returns the fee's excess to `refundAddress`. An OFT send (not ether's `send`).
        // solhint-disable-next-line check-send-result
        return IOFT(POOL).send{value: msg.value + amount}(sendParam, MessagingFee(msg.value, 0), refundAddress);
    }
}
