// Reads every PowerShell script and GitHub workflow of the repository and prints, as JSON, what the
// package checks (installer module, ScriptsLintTest) judge: parse errors (tree-sitter-powershell),
// every viofs invocation with its arguments, every .ps1 invocation with its -Parameters, each script's
// declared parameters, the paths scripts and workflows refer to, and every action a workflow uses.
//
//   node --liftoff-only scripts/checks/scan.cjs REPO_ROOT TOOLS_NODE_DIR
//
// --liftoff-only: V8 then compiles the 1 MB WebAssembly grammar with its baseline compiler only; with
// the optimising tier a loaded 2-core machine spends 30-40 s of CPU and minutes of time on it.
//
// A viofs invocation is: a command named viofs / viofs.cmd / ...\viofs.cmd; "& $var ..." where the
// variable's name contains "viofs"; or "Invoke-Viofs CMD @('arg', ...)" (the scripts' wrapper).
// Arguments that are not plain literals (variables, expandable strings) are reported as
// {literal: false}; the Java side stands a value in for them.
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [repo, toolsNode] = process.argv.slice(2);
if (!repo || !toolsNode) {
    console.error('usage: node scan.cjs REPO_ROOT TOOLS_NODE_DIR');
    process.exit(2);
}
const req = createRequire(path.join(toolsNode, 'package.json'));
const { Parser, Language } = req('web-tree-sitter');
const YAML = req('yaml');

const SKIP_DIRS = new Set(['.git', 'target', 'node_modules']);

function walk(dir, out) {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        if (SKIP_DIRS.has(e.name)) continue;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p, out);
        else out.push(p);
    }
    return out;
}

function rel(p) {
    return path.relative(repo, p).split(path.sep).join('/');
}

// node.children and descendantsOfType each cross into the WebAssembly module once; a walk with
// node.child(i) crosses once per node and is slow.
function children(node) {
    return node.children;
}

function descendants(node, type) {
    const out = node.descendantsOfType(type);
    return node.type === type && !out.some(n => n.id === node.id) ? [node].concat(out) : out;
}

// The value of a PowerShell argument when it is a plain literal, else null.
function literal(node) {
    let n = node;
    while (n && n.childCount === 1 && n.type !== 'string_literal') n = n.child(0);
    if (!n) return null;
    if (n.type === 'generic_token' || n.type === 'command_parameter') return n.text;
    if (n.type === 'string_literal') {
        const t = n.text;
        const inner = n.child(0);
        if (inner && inner.type === 'verbatim_string_characters' && t.startsWith("'")) return t.slice(1, -1);
        if (inner && inner.type === 'expandable_string_literal' && descendants(inner, 'variable').length === 0
            && descendants(inner, 'sub_expression').length === 0 && !t.includes('`')) return t.slice(1, -1);
        return null;
    }
    return null;
}

function arg(node) {
    const v = literal(node);
    return v === null ? { text: node.text, literal: false } : { text: v, literal: true };
}

function analyse(parser, source, file, lineOffset, result) {
    const tree = parser.parse(source);
    for (const n of descendants(tree.rootNode, 'ERROR')) {
        result.parseErrors.push({ file, line: n.startPosition.row + 1 + lineOffset, text: n.text.slice(0, 80) });
    }
    const cursor = tree.walk();
    (function missing() {
        if (cursor.currentNode.isMissing) {
            result.parseErrors.push({ file, line: cursor.startPosition.row + 1 + lineOffset, text: 'missing ' + cursor.nodeType });
        }
        if (cursor.gotoFirstChild()) {
            do { missing(); } while (cursor.gotoNextSibling());
            cursor.gotoParent();
        }
    })();
    // the script's own parameters: the param block directly under the program, not a function's
    for (const block of children(tree.rootNode).filter(c => c.type === 'param_block')) {
        for (const p of descendants(block, 'script_parameter')) {
            const v = children(p).find(c => c.type === 'variable');
            if (v) result.parameters.push({ file, name: v.text.replace(/^\$/, '') });
        }
    }
    for (const cmd of descendants(tree.rootNode, 'command')) {
        const line = cmd.startPosition.row + 1 + lineOffset;
        const nameNode = cmd.childForFieldName('command_name');
        const elementsNode = cmd.childForFieldName('command_elements');
        const elements = elementsNode
            ? children(elementsNode).filter(c => c.type !== 'command_argument_sep' && !c.type.includes('redirection'))
            : [];
        if (!nameNode) continue;
        const name = nameNode.text;
        const invoked = children(cmd).some(c => c.type === 'command_invokation_operator');
        if (/^Invoke-Viofs$/i.test(name)) {
            const inner = elements.length > 1 ? descendants(elements[1], 'array_expression')[0] : null;
            const array = inner ? descendants(inner, 'array_literal_expression')[0] : null;
            const args = array ? children(array).filter(c => c.type === 'unary_expression').map(arg) : [];
            result.viofsCalls.push({ file, line, args });
        } else if ((invoked && /^\$\w*viofs\w*$/i.test(name)) || /(^|[\\/])viofs(\.cmd)?$/i.test(name)) {
            result.viofsCalls.push({ file, line, args: elements.map(arg) });
        } else if (/^Invoke-Script$/i.test(name) && elements.length > 1) {
            // smoke-service.ps1's runner: Invoke-Script (Join-Path $dir 'NAME.ps1') @('-Param', ...)
            const script = /([\w-]+\.ps1)/.exec(elements[0].text);
            const inner = descendants(elements[1], 'array_expression')[0];
            const array = inner ? descendants(inner, 'array_literal_expression')[0] : null;
            const args = array ? children(array).filter(c => c.type === 'unary_expression').map(arg) : [];
            result.scriptCalls.push({
                file, line, script: script ? script[1] : elements[0].text,
                parameters: args.filter(a => a.literal && a.text.startsWith('-')).map(a => a.text.slice(1)),
            });
        } else if (/\.ps1$/i.test(name)) {
            result.scriptCalls.push({
                file, line, script: name,
                parameters: elements.filter(e => e.type === 'command_parameter').map(e => e.text.replace(/^-/, '').replace(/:$/, '')),
            });
        } else if (/^Join-Path$/i.test(name) && elements.length >= 2) {
            const base = elements[0].text;
            const child = literal(elements[1]);
            if (child !== null && (base === '$PSScriptRoot' || base === '$Repo')) {
                result.pathRefs.push({ file, line, base: base === '$Repo' ? 'repo' : 'script', path: child.replace(/\\/g, '/') });
            }
        }
    }
}

(async () => {
    await Parser.init();
    const parser = new Parser();
    parser.setLanguage(await Language.load(req.resolve('tree-sitter-powershell/tree-sitter-powershell.wasm')));
    const result = {
        scripts: [], workflows: [], parseErrors: [], viofsCalls: [], scriptCalls: [], parameters: [],
        pathRefs: [], actions: [], runPaths: [], env: {},
    };
    const files = walk(repo, []);
    for (const f of files.filter(f => f.endsWith('.ps1')).sort()) {
        const file = rel(f);
        result.scripts.push(file);
        analyse(parser, fs.readFileSync(f, 'utf8'), file, 0, result);
    }
    const wfDir = path.join(repo, '.github', 'workflows');
    for (const f of (fs.existsSync(wfDir) ? fs.readdirSync(wfDir) : []).filter(n => /\.ya?ml$/.test(n)).sort()) {
        const file = rel(path.join(wfDir, f));
        result.workflows.push(file);
        const text = fs.readFileSync(path.join(wfDir, f), 'utf8');
        const doc = YAML.parseDocument(text);
        if (doc.errors.length) {
            for (const e of doc.errors) result.parseErrors.push({ file, line: 0, text: e.message });
            continue;
        }
        const wf = doc.toJS();
        result.env[file] = wf.env || {};
        const lines = text.split('\n');
        for (const [jobId, job] of Object.entries(wf.jobs || {})) {
            const windows = String(job['runs-on'] || '').includes('windows');
            const defaultShell = (job.defaults && job.defaults.run && job.defaults.run.shell) || (windows ? 'pwsh' : 'bash');
            for (const step of job.steps || []) {
                if (step.uses) {
                    const line = lines.findIndex(l => l.includes('uses: ' + step.uses)) + 1;
                    result.actions.push({ file, job: jobId, line, uses: step.uses, with: step.with || {} });
                }
                if (step.run) {
                    const shell = step.shell || defaultShell;
                    const first = String(step.run).split('\n')[0];
                    const line = lines.findIndex(l => l.includes(first.trim())) + 1;
                    if (shell === 'pwsh' || shell === 'powershell') {
                        analyse(parser, String(step.run), file, Math.max(line - 1, 0), result);
                    }
                    for (const m of String(step.run).matchAll(/(?:^|[\s"'])((?:scripts|bin|installer)\/[\w.\/*-]+)/g)) {
                        result.runPaths.push({ file, line, path: m[1] });
                    }
                }
            }
        }
    }
    // exit as soon as the output is out: left alone, node lingers for minutes after the last line
    // (background work on the WebAssembly grammar) on a loaded machine
    process.stdout.write(JSON.stringify(result, null, 1) + '\n', () => process.exit(0));
})().catch(e => {
    console.error('scan.cjs: ' + (e && e.stack || e));
    process.exit(1);
});
