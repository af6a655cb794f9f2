// Parity per HAProxy version (2.6 to 3.4) on the shared real-world files, from each version's own
// `haproxy -c` verdicts: valid files with a false error of ours, and the share of genuine ALERT lines
// our static checks flag on the right line. Same measure as test/unit/language/versions-parity.test.ts.
'use strict';

const { requireCompiled } = require('./_support');

async function run() {
  const { PARITY_VERSIONS, measureVersion, flaggedPct } = requireCompiled('test/unit/language/versionParity.js');
  const out = {};
  const rows = [];
  for (const version of PARITY_VERSIONS) {
    const p = measureVersion(version);
    if (!p) continue;
    out[`versions.${version}.falseErrorFiles`] = p.falseErrors.length;
    out[`versions.${version}.flaggedPct`] = flaggedPct(p);
    rows.push(
      `  ${version}  valid ${p.validFiles}  false-error files ${p.falseErrors.length}  ALERT lines flagged ${p.flagged}/${p.alerts} (${flaggedPct(p)}%)  newer-keyword files flagged ${p.newerKeywordFlagged}/${p.newerKeywordFiles}`,
    );
  }
  console.log(`[versions] parity per HAProxy version:\n${rows.join('\n')}`);
  return out;
}

module.exports = { run };
