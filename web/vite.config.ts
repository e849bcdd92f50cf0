import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// Root is web/ (`vite build web`); the Fastify server serves web/dist and falls back to index.html.
export default defineConfig({
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    chunkSizeWarningLimit: 700,
    rolldownOptions: {
      output: {
        // Rolldown's successor of manualChunks: big libraries get their own cacheable chunks.
        codeSplitting: {
          groups: [
            // React first: groups pull in their dependencies, and everything depends on React.
            { name: 'react', test: /node_modules[\\/](react|react-dom|react-router|react-router-dom|scheduler|cookie|set-cookie-parser)[\\/]/, priority: 40 },
            { name: 'echarts', test: /node_modules[\\/](echarts|zrender|echarts-for-react|size-sensor|fast-deep-equal|tslib)[\\/]/, priority: 30 },
            { name: 'antd-icons', test: /node_modules[\\/]@ant-design[\\/]icons/, priority: 25 },
            { name: 'antd-rc', test: /node_modules[\\/](@rc-component|rc-[\w-]+)[\\/]/, priority: 20 },
            { name: 'antd', test: /node_modules[\\/](antd|@ant-design|dayjs|@babel[\\/]runtime|classnames|clsx)[\\/]/, priority: 10 },
          ],
        },
      },
    },
  },
  server: {
    port: 5173,
    // `npm run dev`: the API runs on :3000.
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
  preview: {
    proxy: { '/api': { target: 'http://127.0.0.1:3000', changeOrigin: false } },
  },
});
