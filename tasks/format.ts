/** Amounts for people: decimals applied, thousands separators, trailing zeros trimmed, the symbol after. */

/** `1234567.5` for 1234567500000 at 6 decimals, with `,` every three digits: "1,234,567.5". */
export function formatAmount(value: bigint, decimals: number, maxFraction = 6): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const unit = 10n ** BigInt(decimals);
  const whole = (abs / unit).toString().replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  let fraction = decimals > 0 ? (abs % unit).toString().padStart(decimals, "0") : "";
  // Shown to maxFraction digits (truncated, so never more than there is); "~" marks a cut that dropped digits.
  let cut = false;
  if (fraction.length > maxFraction) {
    cut = /[1-9]/.test(fraction.slice(maxFraction));
    fraction = fraction.slice(0, maxFraction);
  }
  fraction = fraction.replace(/0+$/, "");
  return `${cut ? "~" : ""}${negative ? "-" : ""}${whole}${fraction ? `.${fraction}` : ""}`;
}

/** "1,000.5 USDC" */
export function formatToken(value: bigint, decimals: number, symbol: string, maxFraction = 6): string {
  return `${formatAmount(value, decimals, maxFraction)} ${symbol}`;
}
