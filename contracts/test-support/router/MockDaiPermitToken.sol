// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";

/// @title MockDaiPermitToken
/// @notice Test-support token with DAI's permit (holder, spender, nonce, expiry, allowed): an unlimited allowance or
/// none, a nonce that must match, expiry 0 meaning never. Open minting. Never deployed to a real network.
contract MockDaiPermitToken is ERC20, EIP712 {
    bytes32 public constant PERMIT_TYPEHASH = keccak256(
        "Permit(address holder,address spender,uint256 nonce,uint256 expiry,bool allowed)"
    );

    mapping(address holder => uint256 nonce) public nonces;

    error InvalidPermit();

    constructor() ERC20("Dai Stablecoin", "DAI") EIP712("Dai Stablecoin", "1") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    // solhint-disable-next-line func-name-mixedcase
    function DOMAIN_SEPARATOR() external view returns (bytes32) {
        return _domainSeparatorV4();
    }

    function permit(
        address holder,
        address spender,
        uint256 nonce,
        uint256 expiry,
        bool allowed,
        uint8 v,
        bytes32 r,
        bytes32 s
    ) external {
        bytes32 digest = _hashTypedDataV4(
            keccak256(abi.encode(PERMIT_TYPEHASH, holder, spender, nonce, expiry, allowed))
        );
        if (holder == address(0) || ECDSA.recover(digest, v, r, s) != holder) revert InvalidPermit();
        // solhint-disable-next-line gas-strict-inequalities
        if (expiry != 0 && block.timestamp > expiry) revert InvalidPermit();
        if (nonce != nonces[holder]++) revert InvalidPermit();
        _approve(holder, spender, allowed ? type(uint256).max : 0);
    }
}
