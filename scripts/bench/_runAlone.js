// Lets a benchmark area run on its own (`node scripts/bench/<area>.js`), printing its figures.
// Files starting with `_` are helpers, not areas: scripts/bench.js skips them.
function runAlone(module, run) {
  if (require.main !== module) return;
  run().then(
    (figures) => {
      for (const [name, value] of Object.entries(figures)) console.log(`${name}: ${value}`);
    },
    (err) => {
      console.error(err);
      process.exit(1);
    },
  );
}

module.exports = { runAlone };
