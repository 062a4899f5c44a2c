// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";

import {IVotingEscrow} from "../../interfaces/external/IVotingEscrow.sol";

/// @title MockVotingEscrow
/// @notice Test-support Velodrome/Aerodrome VotingEscrow. Never deployed to a real network. Keeps what a vault
/// relies on: week-rounded lock ends up to four years, permanent locks, `withdraw` refused while voted, locked or
/// permanent, `unlockPermanent` refused while voted, `increaseAmount`/`depositFor` refused on an expired lock, a
/// plain (not "safe") mint as the real contract does, and linearly decaying voting power. Leaves out delegation,
/// managed NFTs, merges and splits.
contract MockVotingEscrow is ERC721, IVotingEscrow {
    using SafeERC20 for IERC20;

    error NotApprovedOrOwner();
    error NotVoter();
    error ZeroAmount();
    error NoLockFound();
    error LockExpired();
    error LockNotExpired();
    error LockDurationNotInFuture();
    error LockDurationTooLong();
    error PermanentLock();
    error NotPermanentLock();
    error AlreadyVoted();

    event Deposit(uint256 indexed tokenId, uint256 value, uint256 end);
    event Withdraw(uint256 indexed tokenId, uint256 value);
    event LockPermanent(uint256 indexed tokenId);
    event UnlockPermanent(uint256 indexed tokenId, uint256 end);

    uint256 public constant WEEK = 7 days;
    uint256 public constant MAXTIME = 4 * 365 days;

    address public immutable override token;
    address public voter;
    uint256 public tokenId;
    mapping(uint256 id => LockedBalance) internal _locked;
    mapping(uint256 id => bool) public override voted;

    constructor(address token_) ERC721("veNFT", "veNFT") {
        token = token_;
    }

    /// @notice Test setup: the Voter allowed to flag votes (set once).
    function setVoter(address voter_) external {
        if (voter != address(0)) revert NotVoter();
        voter = voter_;
    }

    function createLock(uint256 _value, uint256 _lockDuration) external returns (uint256 id) {
        if (_value == 0) revert ZeroAmount();
        uint256 unlockTime = ((block.timestamp + _lockDuration) / WEEK) * WEEK;
        if (unlockTime <= block.timestamp) revert LockDurationNotInFuture();
        if (unlockTime > block.timestamp + MAXTIME) revert LockDurationTooLong();
        id = ++tokenId;
        _mint(msg.sender, id);
        _locked[id] = LockedBalance(int128(int256(_value)), unlockTime, false);
        IERC20(token).safeTransferFrom(msg.sender, address(this), _value);
        emit Deposit(id, _value, unlockTime);
    }

    function increaseAmount(uint256 _tokenId, uint256 _value) external {
        _requireAuthorized(_tokenId);
        _depositFor(_tokenId, _value);
    }

    function depositFor(uint256 _tokenId, uint256 _value) external {
        _depositFor(_tokenId, _value);
    }

    function increaseUnlockTime(uint256 _tokenId, uint256 _lockDuration) external {
        _requireAuthorized(_tokenId);
        LockedBalance storage lock = _locked[_tokenId];
        if (lock.isPermanent) revert PermanentLock();
        if (lock.end <= block.timestamp) revert LockExpired();
        if (lock.amount <= 0) revert NoLockFound();
        uint256 unlockTime = ((block.timestamp + _lockDuration) / WEEK) * WEEK;
        if (unlockTime <= lock.end) revert LockDurationNotInFuture();
        if (unlockTime > block.timestamp + MAXTIME) revert LockDurationTooLong();
        lock.end = unlockTime;
        emit Deposit(_tokenId, 0, unlockTime);
    }

    function lockPermanent(uint256 _tokenId) external {
        _requireAuthorized(_tokenId);
        LockedBalance storage lock = _locked[_tokenId];
        if (lock.isPermanent) revert PermanentLock();
        if (lock.end <= block.timestamp) revert LockExpired();
        if (lock.amount <= 0) revert NoLockFound();
        lock.isPermanent = true;
        lock.end = 0;
        emit LockPermanent(_tokenId);
    }

    function unlockPermanent(uint256 _tokenId) external {
        _requireAuthorized(_tokenId);
        if (voted[_tokenId]) revert AlreadyVoted();
        LockedBalance storage lock = _locked[_tokenId];
        if (!lock.isPermanent) revert NotPermanentLock();
        lock.isPermanent = false;
        lock.end = ((block.timestamp + MAXTIME) / WEEK) * WEEK;
        emit UnlockPermanent(_tokenId, lock.end);
    }

    function withdraw(uint256 _tokenId) external {
        _requireAuthorized(_tokenId);
        if (voted[_tokenId]) revert AlreadyVoted();
        LockedBalance memory lock = _locked[_tokenId];
        if (lock.isPermanent) revert PermanentLock();
        if (block.timestamp < lock.end) revert LockNotExpired();
        uint256 value = uint256(int256(lock.amount));
        delete _locked[_tokenId];
        _burn(_tokenId);
        IERC20(token).safeTransfer(msg.sender, value);
        emit Withdraw(_tokenId, value);
    }

    /// @notice Called by the Voter when `_tokenId` votes.
    function voting(uint256 _tokenId, bool _voted) external {
        if (msg.sender != voter) revert NotVoter();
        voted[_tokenId] = _voted;
    }

    function locked(uint256 _tokenId) external view returns (LockedBalance memory) {
        return _locked[_tokenId];
    }

    function balanceOfNFT(uint256 _tokenId) external view returns (uint256) {
        LockedBalance memory lock = _locked[_tokenId];
        uint256 amount = uint256(int256(lock.amount));
        if (lock.isPermanent) return amount;
        if (lock.end <= block.timestamp) return 0;
        return (amount * (lock.end - block.timestamp)) / MAXTIME;
    }

    function ownerOf(uint256 _tokenId) public view override(ERC721, IVotingEscrow) returns (address) {
        return super.ownerOf(_tokenId);
    }

    function isApprovedOrOwner(address _spender, uint256 _tokenId) public view returns (bool) {
        return _isAuthorized(_ownerOf(_tokenId), _spender, _tokenId);
    }

    function _requireAuthorized(uint256 _tokenId) internal view {
        if (!isApprovedOrOwner(msg.sender, _tokenId)) revert NotApprovedOrOwner();
    }

    function _depositFor(uint256 _tokenId, uint256 _value) internal {
        if (_value == 0) revert ZeroAmount();
        LockedBalance storage lock = _locked[_tokenId];
        if (lock.amount <= 0) revert NoLockFound();
        if (!lock.isPermanent && lock.end <= block.timestamp) revert LockExpired();
        lock.amount += int128(int256(_value));
        IERC20(token).safeTransferFrom(msg.sender, address(this), _value);
        emit Deposit(_tokenId, _value, lock.end);
    }
}
