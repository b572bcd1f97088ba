const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1000; };
let c = cpu();
await import(process.argv[2]);
console.log(process.argv[2], (cpu() - c).toFixed(1));
