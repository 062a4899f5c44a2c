// SPDX-License-Identifier: MIT
pragma solidity 0.8.30;

/// @title ConstantsLib
/// @notice Bounds the vault enforces on its own configuration.
library ConstantsLib {
    /// @notice Basis points in one whole (100%).
    uint256 internal constant BPS = 10_000;
    /// @notice Most adapters one vault may route into; bounds every loop over adapters.
    uint256 internal constant MAX_ADAPTERS = 10;
    /// @notice Highest performance fee: half of realised gains.
    uint256 internal constant MAX_PERFORMANCE_FEE_BPS = 5_000;
    /// @notice Highest management fee: 5% of total assets a year.
    uint256 internal constant MAX_MANAGEMENT_FEE_BPS = 500;
    /// @notice Longest timelock on risk-raising changes.
    uint256 internal constant MAX_TIMELOCK = 30 days;
    /// @notice Longest time over which a reported gain unlocks.
    uint256 internal constant MAX_PROFIT_UNLOCK_TIME = 30 days;
    /// @notice An adapter whose real assets are below its books by at most debt / LOSS_DUST_DIVISOR (+1 wei) is not
    /// treated as carrying a loss on the exit path: that gap is rounding dust (1 part per million), realised at the
    /// next report.
    uint256 internal constant LOSS_DUST_DIVISOR = 1_000_000;
    /// @notice Seconds in a year, for the management fee.
    uint256 internal constant YEAR = 365 days;
    /// @notice How long a submitted call stays executable once its timelock has passed; after that it expires and must
    /// be submitted again (issue 8.5: a call submitted in the deploy window cannot run a year later).
    uint256 internal constant EXECUTION_WINDOW = 14 days;
    /// @notice Window over which `maxGainBps` bounds the gains reports realise: the allowance refills linearly, at
    /// `maxGainBps` of total assets per GAIN_WINDOW (issue 8.7).
    uint256 internal constant GAIN_WINDOW = 1 days;
    /// @notice Scale of the high-water mark (asset units per share unit): 1e36, so that the mark keeps full precision
    /// when shares carry up to 18 more decimals than the asset.
    uint256 internal constant PRICE_SCALE = 1e36;
    /// @notice Shortest liveness delay: how long redemption requests must wait with no operator acting before anyone
    /// may report and prepare releases for them.
    uint256 internal constant MIN_LIVENESS_DELAY = 1 days;
    /// @notice Longest liveness delay.
    uint256 internal constant MAX_LIVENESS_DELAY = 14 days;
    /// @notice Liveness delay of a vault whose owner never set one.
    uint256 internal constant DEFAULT_LIVENESS_DELAY = 7 days;
    /// @notice Highest in-kind exit penalty: 2% of what the shares are worth (issue 13.5), kept by the vault.
    uint256 internal constant MAX_IN_KIND_PENALTY_BPS = 200;
}
