// Test-support contracts (mocks of external protocols) are not product code: coverage skips them.
module.exports = {
  skipFiles: ["test-support"],
  istanbulReporter: ["lcov", "json-summary", "text-summary"],
  mocha: { timeout: 300000 },
};
