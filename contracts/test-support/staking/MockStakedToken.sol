// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

// solhint-disable immutable-vars-naming, gas-custom-errors, reason-string

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

import {IAaveStakedToken} from "../../interfaces/external/IAaveStakedToken.sol";

/// @title MockStakedToken
/// @notice Test-support Aave cooldown staking token in the shape of the deployed stkAAVE (StakedTokenV3, "stk v1.5",
/// bgd-labs/aave-stk-v1-5), over any token. Never deployed to a real network. Kept from the real contract, with its
/// revert strings: shares minted at an exchange rate (`previewStake`, `previewRedeem`, rounded down); `cooldown()`
/// snapshots (timestamp, share balance) as `stakersCooldowns`; `redeem` after `COOLDOWN_SECONDS` (inclusive) and
/// within `UNSTAKE_WINDOW`, capped at the snapshot's amount, lowering it (no cooldown while `inPostSlashingPeriod`,
/// which also closes staking); a stake leaves a running snapshot as it is; `slash` (slashing admin) lowers the
/// exchange rate, at most `maxSlashablePercentage`; `returnFunds` raises it; rewards accrue per share from
/// `emissionPerSecond` (set by the emission manager through `configureAssets`, lost while nothing is staked, ending at
/// DISTRIBUTION_END) and `claimRewards` pays them from REWARDS_VAULT by `transferFrom`, capped at what accrued and
/// reverting on zero; a share transfer accrues both sides and trims the sender's snapshot. Left out: governance
/// delegation, permit, the claim-helper role and the `*OnBehalf` variants.
contract MockStakedToken is ERC20, IAaveStakedToken {
    using SafeERC20 for IERC20;

    struct CooldownSnapshot {
        uint40 timestamp;
        uint216 amount;
    }

    struct AssetConfigInput {
        uint128 emissionPerSecond;
        uint256 totalStaked;
        address underlyingAsset;
    }

    event Staked(address indexed from, address indexed to, uint256 assets, uint256 shares);
    event Redeem(address indexed from, address indexed to, uint256 assets, uint256 shares);
    event Cooldown(address indexed user, uint256 amount);
    event RewardsAccrued(address user, uint256 amount);
    event RewardsClaimed(address indexed from, address indexed to, uint256 amount);
    event Slashed(address indexed destination, uint256 amount);
    event SlashingSettled();
    event FundsReturned(uint256 amount);
    event ExchangeRateChanged(uint216 exchangeRate);
    event AssetConfigUpdated(address indexed asset, uint256 emission);

    uint256 public constant EXCHANGE_RATE_UNIT = 1e18;
    uint256 public constant PERCENTAGE_FACTOR = 1e4;

    address public immutable override STAKED_TOKEN;
    address public immutable override REWARD_TOKEN;
    uint256 public immutable override UNSTAKE_WINDOW;
    address public immutable REWARDS_VAULT;
    address public immutable EMISSION_MANAGER;
    uint256 public immutable DISTRIBUTION_END;
    /// @notice The slashing and cooldown admin (the deployer here).
    address public immutable admin;

    uint256 internal _cooldownSeconds;
    uint256 internal _maxSlashablePercentage;
    uint216 internal _currentExchangeRate = uint216(EXCHANGE_RATE_UNIT);
    bool public override inPostSlashingPeriod;

    mapping(address staker => CooldownSnapshot) public override stakersCooldowns;
    mapping(address staker => uint256) public stakerRewardsToClaim;

    uint128 public emissionPerSecond;
    uint256 public index;
    uint256 public lastUpdateTimestamp;
    mapping(address user => uint256) public userIndex;

    constructor(
        address stakedToken,
        address rewardToken,
        uint256 cooldownSeconds,
        uint256 unstakeWindow,
        address rewardsVault,
        address emissionManager,
        uint128 distributionDuration
    ) ERC20("Staked Token", "stkTOKEN") {
        STAKED_TOKEN = stakedToken;
        REWARD_TOKEN = rewardToken;
        _cooldownSeconds = cooldownSeconds;
        UNSTAKE_WINDOW = unstakeWindow;
        REWARDS_VAULT = rewardsVault;
        EMISSION_MANAGER = emissionManager;
        DISTRIBUTION_END = block.timestamp + distributionDuration;
        admin = msg.sender;
        _maxSlashablePercentage = 3_000;
        lastUpdateTimestamp = block.timestamp;
    }

    // ------------------------------------------------------------------ views

    function COOLDOWN_SECONDS() external view override returns (uint256) {
        return _cooldownSeconds;
    }

    function getCooldownSeconds() external view returns (uint256) {
        return _cooldownSeconds;
    }

    function getExchangeRate() external view returns (uint216) {
        return _currentExchangeRate;
    }

    function getMaxSlashablePercentage() external view returns (uint256) {
        return _maxSlashablePercentage;
    }

    function balanceOf(address account) public view override(ERC20, IAaveStakedToken) returns (uint256) {
        return super.balanceOf(account);
    }

    function previewStake(uint256 assets) public view override returns (uint256) {
        return (assets * _currentExchangeRate) / EXCHANGE_RATE_UNIT;
    }

    function previewRedeem(uint256 shares) public view override returns (uint256) {
        return (EXCHANGE_RATE_UNIT * shares) / _currentExchangeRate;
    }

    function getTotalRewardsBalance(address staker) external view override returns (uint256) {
        return stakerRewardsToClaim[staker] + (balanceOf(staker) * (_currentIndex() - userIndex[staker])) / 1e18;
    }

    // ------------------------------------------------------------------ staker entry points

    function stake(address to, uint256 amount) external override {
        require(!inPostSlashingPeriod, "SLASHING_ONGOING");
        require(amount != 0, "INVALID_ZERO_AMOUNT");
        _accrue(to);
        uint256 shares = previewStake(amount);
        IERC20(STAKED_TOKEN).safeTransferFrom(msg.sender, address(this), amount);
        _mint(to, shares);
        emit Staked(msg.sender, to, amount, shares);
    }

    function cooldown() external override {
        uint256 amount = balanceOf(msg.sender);
        require(amount != 0, "INVALID_BALANCE_ON_COOLDOWN");
        stakersCooldowns[msg.sender] = CooldownSnapshot(uint40(block.timestamp), uint216(amount));
        emit Cooldown(msg.sender, amount);
    }

    function redeem(address to, uint256 amount) external override {
        require(amount != 0, "INVALID_ZERO_AMOUNT");
        CooldownSnapshot memory snapshot = stakersCooldowns[msg.sender];
        if (!inPostSlashingPeriod) {
            require(block.timestamp >= snapshot.timestamp + _cooldownSeconds, "INSUFFICIENT_COOLDOWN");
            require(
                block.timestamp - (snapshot.timestamp + _cooldownSeconds) <= UNSTAKE_WINDOW,
                "UNSTAKE_WINDOW_FINISHED"
            );
        }
        uint256 balance = balanceOf(msg.sender);
        uint256 maxRedeemable = inPostSlashingPeriod ? balance : snapshot.amount;
        require(maxRedeemable != 0, "INVALID_ZERO_MAX_REDEEMABLE");
        uint256 shares = amount > maxRedeemable ? maxRedeemable : amount;
        _accrue(msg.sender);
        uint256 assets = previewRedeem(shares);
        _burn(msg.sender, shares);
        if (snapshot.timestamp != 0) {
            if (snapshot.amount - shares == 0) delete stakersCooldowns[msg.sender];
            else stakersCooldowns[msg.sender].amount = uint216(snapshot.amount - shares);
        }
        IERC20(STAKED_TOKEN).safeTransfer(to, assets);
        emit Redeem(msg.sender, to, assets, shares);
    }

    function claimRewards(address to, uint256 amount) external override {
        require(amount != 0, "INVALID_ZERO_AMOUNT");
        _accrue(msg.sender);
        uint256 total = stakerRewardsToClaim[msg.sender];
        uint256 toClaim = amount > total ? total : amount;
        require(toClaim != 0, "INVALID_ZERO_AMOUNT");
        stakerRewardsToClaim[msg.sender] = total - toClaim;
        IERC20(REWARD_TOKEN).safeTransferFrom(REWARDS_VAULT, to, toClaim);
        emit RewardsClaimed(msg.sender, to, toClaim);
    }

    // ------------------------------------------------------------------ admin

    /// @notice Sets the emission (the real one takes a list of assets; only this token's own entry exists here).
    function configureAssets(AssetConfigInput[] memory inputs) external {
        require(msg.sender == EMISSION_MANAGER, "ONLY_EMISSION_MANAGER");
        for (uint256 i; i < inputs.length; ++i) {
            require(inputs[i].underlyingAsset == address(this), "UNKNOWN_ASSET");
            _updateIndex();
            emissionPerSecond = inputs[i].emissionPerSecond;
            emit AssetConfigUpdated(address(this), inputs[i].emissionPerSecond);
        }
    }

    function slash(address destination, uint256 amount) external returns (uint256) {
        require(msg.sender == admin, "CALLER_NOT_SLASHING_ADMIN");
        require(!inPostSlashingPeriod, "PREVIOUS_SLASHING_NOT_SETTLED");
        require(amount > 0, "ZERO_AMOUNT");
        uint256 shares = totalSupply();
        uint256 assets = previewRedeem(shares);
        uint256 maxSlashable = (assets * _maxSlashablePercentage) / PERCENTAGE_FACTOR;
        if (amount > maxSlashable) amount = maxSlashable;
        inPostSlashingPeriod = true;
        _setExchangeRate(assets - amount, shares);
        IERC20(STAKED_TOKEN).safeTransfer(destination, amount);
        emit Slashed(destination, amount);
        return amount;
    }

    function settleSlashing() external {
        require(msg.sender == admin, "CALLER_NOT_SLASHING_ADMIN");
        inPostSlashingPeriod = false;
        emit SlashingSettled();
    }

    function returnFunds(uint256 amount) external {
        uint256 shares = totalSupply();
        require(shares != 0, "SHARES_LT_MINIMUM");
        _setExchangeRate(previewRedeem(shares) + amount, shares);
        IERC20(STAKED_TOKEN).safeTransferFrom(msg.sender, address(this), amount);
        emit FundsReturned(amount);
    }

    function setCooldownSeconds(uint256 cooldownSeconds) external {
        require(msg.sender == admin, "CALLER_NOT_COOLDOWN_ADMIN");
        _cooldownSeconds = cooldownSeconds;
    }

    // ------------------------------------------------------------------ internal

    /// @dev Share transfers accrue both sides and trim the sender's cooldown snapshot to what it keeps.
    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            _accrue(from);
            if (from != to) _accrue(to);
            CooldownSnapshot memory snapshot = stakersCooldowns[from];
            uint256 balance = balanceOf(from);
            if (snapshot.timestamp != 0 && from != to) {
                if (balance == value) delete stakersCooldowns[from];
                else if (balance - value < snapshot.amount) stakersCooldowns[from].amount = uint216(balance - value);
            }
        }
        super._update(from, to, value);
    }

    function _setExchangeRate(uint256 totalAssets, uint256 totalShares) internal {
        uint216 rate = uint216(((totalShares * EXCHANGE_RATE_UNIT) + totalAssets - 1) / totalAssets);
        require(rate != 0, "ZERO_EXCHANGE_RATE");
        _currentExchangeRate = rate;
        emit ExchangeRateChanged(rate);
    }

    function _currentIndex() internal view returns (uint256) {
        uint256 supply = totalSupply();
        uint256 last = lastUpdateTimestamp;
        if (emissionPerSecond == 0 || supply == 0 || last == block.timestamp || last >= DISTRIBUTION_END) return index;
        uint256 until = block.timestamp > DISTRIBUTION_END ? DISTRIBUTION_END : block.timestamp;
        return index + (uint256(emissionPerSecond) * (until - last) * 1e18) / supply;
    }

    function _updateIndex() internal {
        index = _currentIndex();
        lastUpdateTimestamp = block.timestamp;
    }

    function _accrue(address user) internal {
        _updateIndex();
        uint256 accrued = (balanceOf(user) * (index - userIndex[user])) / 1e18;
        userIndex[user] = index;
        if (accrued != 0) {
            stakerRewardsToClaim[user] += accrued;
            emit RewardsAccrued(user, accrued);
        }
    }
}
