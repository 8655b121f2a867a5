#!/usr/bin/env node
// Runs an exported ONNX graph in ONNX Runtime (the export tests' independent check).
//
//   node run_model.js MODEL.onnx INPUTS.json OUTPUTS.json
//
// INPUTS.json: {"column": {"type": "float" | "string", "values": [...]}, ...}; a null
// float value is passed as NaN (a missing number), strings as they are.
// OUTPUTS.json: {"output name": {"type": "...", "dims": [...], "values": [...]}}, values
// flattened row-major; NaN written as null.
'use strict';

const fs = require('fs');
const path = require('path');
const ort = require(path.join(__dirname, 'node_modules', 'onnxruntime-node'));

async function main() {
    const [modelPath, inputsPath, outputsPath] = process.argv.slice(2);
    if (!modelPath || !inputsPath || !outputsPath) {
        process.stderr.write('usage: node run_model.js MODEL.onnx INPUTS.json OUTPUTS.json\n');
        process.exit(2);
    }
    const inputs = JSON.parse(fs.readFileSync(inputsPath, 'utf8'));
    const session = await ort.InferenceSession.create(modelPath);
    const feeds = {};
    for (const [name, column] of Object.entries(inputs)) {
        if (!session.inputNames.includes(name))
            continue;  // a column the graph does not take, like the CLI ignores extra columns
        const rows = column.values.length;
        if (column.type === 'string') {
            feeds[name] = new ort.Tensor('string', column.values.map((v) => (v === null ? '' : String(v))), [rows, 1]);
        } else {
            const data = Float32Array.from(column.values.map((v) => (v === null ? NaN : v)));
            feeds[name] = new ort.Tensor('float32', data, [rows, 1]);
        }
    }
    const results = await session.run(feeds);
    const out = {};
    for (const name of session.outputNames) {
        const tensor = results[name];
        const values = Array.from(tensor.data, (v) => (typeof v === 'number' && Number.isNaN(v) ? null : v));
        out[name] = {type: tensor.type, dims: Array.from(tensor.dims, Number), values};
    }
    fs.writeFileSync(outputsPath, JSON.stringify(out));
}

main().catch((error) => {
    process.stderr.write(`run_model.js: ${error && error.message ? error.message : error}\n`);
    process.exit(1);
});
